const express = require('express');
const controller = require('./controller');
const app = express();
app.get('/report', controller.report);
module.exports = app;
