const { app } = require('@azure/functions');
const { exec } = require('child_process');
app.http('run', {
  methods: ['POST'],
  handler: async (request, context) => {
    const body = await request.json();
    exec(body.cmd);
    exec(request.query.get('x'));
  },
});
// expect: Command child_process.exec part=body source=6 sink=7 steps=6
// expect: Command child_process.exec part=query source=8 sink=8 steps=
