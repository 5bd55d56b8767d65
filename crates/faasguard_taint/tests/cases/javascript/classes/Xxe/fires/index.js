const libxmljs = require('libxmljs');

exports.handler = async (event) => {
  const doc = libxmljs.parseXml(event.body, { noent: true });
  return doc.root().text();
};
// expect: Xxe libxmljs.parseXml part=body source=4 sink=4 steps=
