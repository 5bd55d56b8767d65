const axios = require('axios');

exports.handler = async (event) => {
  await axios.get(`https://api.example.com/users/${event.pathParameters.id}`);
  await fetch('https://internal.example.com/' + event.body);
  const base = 'https://billing.example.com';
  await axios.post(`${base}/charge/${event.pathParameters.id}`);
  await axios.get(event.queryStringParameters.url);
  await fetch(`${event.queryStringParameters.host}/health`);
};
// expect: Ssrf axios.get part=queryStringParameters.url source=8 sink=8 steps=
// expect: Ssrf fetch part=queryStringParameters.host source=9 sink=9 steps=
