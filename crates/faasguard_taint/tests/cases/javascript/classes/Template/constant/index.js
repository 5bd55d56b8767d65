const Handlebars = require('handlebars');
const page = Handlebars.compile('<p>{{name}}</p>');
exports.handler = async (event) => page({ name: event.queryStringParameters.name });
