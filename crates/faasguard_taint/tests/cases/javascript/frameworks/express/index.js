const express = require('express');
const serverless = require('serverless-http');
const { exec } = require('child_process');
const app = express();
app.use(express.json());

app.post('/run', (req, res) => {
  exec(req.body.cmd);
  res.redirect(req.query.next);
});

app.get('/files/:name', function (req, res) {
  res.sendFile(req.params.name);
  res.sendFile('index.html', { root: __dirname });
});

module.exports.handler = serverless(app);
// expect: Command child_process.exec part=body.cmd source=8 sink=8 steps=
// expect: OpenRedirect res.redirect part=query.next source=9 sink=9 steps=
// expect: Path res.sendFile part=params.name source=13 sink=13 steps=
