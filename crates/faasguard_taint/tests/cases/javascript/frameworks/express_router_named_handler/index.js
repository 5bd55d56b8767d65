const router = require('express').Router();
const fs = require('fs');
async function download(req, res) {
  const { file } = req.query;
  res.download('/srv/' + file);
  fs.createReadStream(req.params.path).pipe(res);
}
router.get('/download', download);
module.exports = router;
// expect: Path res.download part=query.file source=4 sink=5 steps=4
// expect: Path fs.createReadStream part=params.path source=6 sink=6 steps=
