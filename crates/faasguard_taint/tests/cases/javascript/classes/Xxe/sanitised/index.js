const libxmljs = require('libxmljs');

exports.handler = async (event) => {
  const doc = libxmljs.parseXml(event.body, { noent: false });
  const other = libxmljs.parseXmlString(event.body);
  return [doc, other];
};
