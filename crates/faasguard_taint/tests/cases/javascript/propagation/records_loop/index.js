const fs = require('fs');
exports.handler = async (event) => {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    fs.unlinkSync('/tmp/' + key);
  }
  event.Records.map((r) => r.body).forEach((b) => fs.rmSync(b));
};
// expect: Path fs.unlinkSync part=Records[].s3.object.key source=3 sink=5 steps=3,4
// expect: Path fs.rmSync part=Records[].body source=7 sink=7 steps=7,7
