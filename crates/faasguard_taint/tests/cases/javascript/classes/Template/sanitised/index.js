const ejs = require('ejs');
const escapeHtml = require('escape-html');
const Handlebars = require('handlebars');

exports.handler = async (event) => {
  const name = event.queryStringParameters.name;
  Handlebars.compile(escapeHtml(name));
  return ejs.render('<p><%= name %></p>', { name });
};
