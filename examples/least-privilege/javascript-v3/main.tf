# Monthly sales reports: on the first of each month a function renders the
# previous month's report from the sales table into the reports bucket and
# queues a notification; a second function answers "is my report ready?".
# Example app for faasguard's least-privilege analysis: the role below is
# deliberately a little wrong (see README.md).

terraform {
  required_providers {
    aws     = { source = "hashicorp/aws", version = "~> 5.0" }
    archive = { source = "hashicorp/archive", version = "~> 2.4" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "archive_file" "reports" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/reports.zip"
}

# --- data -------------------------------------------------------------------

resource "aws_dynamodb_table" "sales" {
  name         = "acme-sales"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "month"
  range_key    = "sale_id"

  attribute {
    name = "month"
    type = "S"
  }
  attribute {
    name = "sale_id"
    type = "S"
  }
}

resource "aws_dynamodb_table" "report_runs" {
  name         = "acme-report-runs"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "month"

  attribute {
    name = "month"
    type = "S"
  }
}

resource "aws_s3_bucket" "reports" {
  bucket = "acme-monthly-reports"
}

resource "aws_s3_bucket" "templates" {
  bucket = "acme-report-templates"
}

# No name: Terraform picks a unique one at apply time.
resource "aws_sqs_queue" "report_ready" {
  message_retention_seconds = 86400
}

# --- role -------------------------------------------------------------------

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "reports" {
  name               = "acme-reports"
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy_attachment" "reports_logs" {
  role       = aws_iam_role.reports.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "reports_data" {
  name = "reports-data"
  role = aws_iam_role.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:Query", "dynamodb:Scan", "dynamodb:GetItem"]
        Resource = [aws_dynamodb_table.sales.arn, aws_dynamodb_table.report_runs.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:AbortMultipartUpload"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "${aws_s3_bucket.templates.arn}/templates/*"
      },
    ]
  })
}

# --- functions --------------------------------------------------------------

resource "aws_lambda_function" "generate_report" {
  function_name    = "acme-generate-report"
  filename         = data.archive_file.reports.output_path
  source_code_hash = data.archive_file.reports.output_base64sha256
  handler          = "generate.handler"
  runtime          = "nodejs20.x"
  role             = aws_iam_role.reports.arn
  timeout          = 300
  memory_size      = 1024

  environment {
    variables = {
      SALES_TABLE      = aws_dynamodb_table.sales.name
      RUNS_TABLE       = aws_dynamodb_table.report_runs.name
      REPORTS_BUCKET   = aws_s3_bucket.reports.bucket
      READY_QUEUE_URL  = aws_sqs_queue.report_ready.url
      TEMPLATES_BUCKET = aws_s3_bucket.templates.id
    }
  }
}

resource "aws_lambda_function" "report_status" {
  function_name    = "acme-report-status"
  filename         = data.archive_file.reports.output_path
  source_code_hash = data.archive_file.reports.output_base64sha256
  handler          = "status.handler"
  runtime          = "nodejs20.x"
  role             = aws_iam_role.reports.arn

  environment {
    variables = {
      RUNS_TABLE = aws_dynamodb_table.report_runs.name
    }
  }
}

resource "aws_cloudwatch_event_rule" "monthly" {
  name                = "acme-monthly-report"
  schedule_expression = "cron(0 3 1 * ? *)"
}

resource "aws_cloudwatch_event_target" "monthly" {
  rule = aws_cloudwatch_event_rule.monthly.name
  arn  = aws_lambda_function.generate_report.arn
}

resource "aws_lambda_permission" "monthly" {
  statement_id  = "AllowEventBridge"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.generate_report.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.monthly.arn
}

resource "aws_lambda_function_url" "report_status" {
  function_name      = aws_lambda_function.report_status.function_name
  authorization_type = "AWS_IAM"
}
