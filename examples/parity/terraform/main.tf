# The vulnerable SAM example app (examples/vulnerable-sam-app/template.yaml)
# written in Terraform, resource for resource, so that faasguard finds the
# same problems per function in both. SAM policy templates are expanded by
# hand, and SAM's generated roles are written out. Do not deploy it.

variable "stage" {
  type    = string
  default = "prod"
}

locals {
  # SAM Globals.Function
  timeout     = 10
  memory_size = 256
  global_env  = { STAGE = var.stage }
}

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# --- REST API protected by a Cognito authorizer by default ----------------

resource "aws_cognito_user_pool" "UserPool" {
  name = "orders-users"
}

resource "aws_api_gateway_rest_api" "OrdersApi" {
  name = "OrdersApi"
}

resource "aws_api_gateway_authorizer" "CognitoAuth" {
  name          = "CognitoAuth"
  rest_api_id   = aws_api_gateway_rest_api.OrdersApi.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = [aws_cognito_user_pool.UserPool.arn]
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.OrdersApi.id
  parent_id   = aws_api_gateway_rest_api.OrdersApi.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_resource" "order" {
  rest_api_id = aws_api_gateway_rest_api.OrdersApi.id
  parent_id   = aws_api_gateway_resource.orders.id
  path_part   = "{id}"
}

resource "aws_api_gateway_method" "ListOrders" {
  rest_api_id   = aws_api_gateway_rest_api.OrdersApi.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.CognitoAuth.id
}

resource "aws_api_gateway_integration" "ListOrders" {
  rest_api_id             = aws_api_gateway_rest_api.OrdersApi.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.ListOrders.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.OrdersFunction.invoke_arn
}

# ...but one route opts out of it.
resource "aws_api_gateway_method" "PublicLookup" {
  rest_api_id   = aws_api_gateway_rest_api.OrdersApi.id
  resource_id   = aws_api_gateway_resource.order.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "PublicLookup" {
  rest_api_id             = aws_api_gateway_rest_api.OrdersApi.id
  resource_id             = aws_api_gateway_resource.order.id
  http_method             = aws_api_gateway_method.PublicLookup.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.OrdersFunction.invoke_arn
}

resource "aws_api_gateway_deployment" "OrdersApi" {
  rest_api_id = aws_api_gateway_rest_api.OrdersApi.id
  depends_on  = [aws_api_gateway_integration.ListOrders, aws_api_gateway_integration.PublicLookup]
}

resource "aws_api_gateway_stage" "OrdersApiStage" {
  rest_api_id   = aws_api_gateway_rest_api.OrdersApi.id
  deployment_id = aws_api_gateway_deployment.OrdersApi.id
  stage_name    = var.stage
}

# --- Data ----------------------------------------------------------------

resource "aws_dynamodb_table" "OrdersTable" {
  name         = "OrdersTable"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_s3_bucket" "UploadsBucket" {}

# --- OrdersFunction: can write anything in S3 and read every secret -------

data "aws_iam_policy_document" "OrdersFunctionPolicy" {
  # SAM DynamoDBCrudPolicy, expanded.
  statement {
    actions = [
      "dynamodb:GetItem",
      "dynamodb:DeleteItem",
      "dynamodb:PutItem",
      "dynamodb:Scan",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:BatchGetItem",
      "dynamodb:DescribeTable",
      "dynamodb:ConditionCheckItem",
    ]
    resources = [aws_dynamodb_table.OrdersTable.arn, "${aws_dynamodb_table.OrdersTable.arn}/index/*"]
  }
  statement {
    actions   = ["s3:*", "secretsmanager:GetSecretValue"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "OrdersFunctionRole" {
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
  inline_policy {
    name   = "OrdersFunctionRolePolicy"
    policy = data.aws_iam_policy_document.OrdersFunctionPolicy.json
  }
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
}

data "archive_file" "orders" {
  type        = "zip"
  source_dir  = "${path.module}/src/orders"
  output_path = "${path.module}/build/orders.zip"
}

resource "aws_lambda_function" "OrdersFunction" {
  function_name = "OrdersFunction"
  filename      = data.archive_file.orders.output_path
  handler       = "app.handler"
  runtime       = "python3.12"
  role          = aws_iam_role.OrdersFunctionRole.arn
  timeout       = local.timeout
  memory_size   = local.memory_size
  environment {
    variables = merge(local.global_env, {
      TABLE_NAME  = aws_dynamodb_table.OrdersTable.name
      DB_PASSWORD = "Winter2026-orders-Pa55!"
    })
  }
}

resource "aws_lambda_permission" "OrdersFunctionApiPermission" {
  function_name = aws_lambda_function.OrdersFunction.function_name
  action        = "lambda:InvokeFunction"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.OrdersApi.execution_arn}/*/*"
}

# --- ReportsFunction: unauthenticated function URL, deprecated runtime ----

data "archive_file" "reports" {
  type        = "zip"
  source_dir  = "${path.module}/src/reports"
  output_path = "${path.module}/build/reports.zip"
}

resource "aws_lambda_function" "ReportsFunction" {
  function_name = "ReportsFunction"
  filename      = data.archive_file.reports.output_path
  handler       = "index.handler"
  runtime       = "nodejs14.x"
  role          = aws_iam_role.SharedRole.arn
  timeout       = local.timeout
  memory_size   = local.memory_size
  environment {
    variables = merge(local.global_env, {
      GITHUB_TOKEN = "ghp_4f9Qz7LmN2xR8sT1vW3yB5dK0hJ6cE9aP2uQ"
    })
  }
}

resource "aws_lambda_function_url" "ReportsFunctionUrl" {
  function_name      = aws_lambda_function.ReportsFunction.function_name
  authorization_type = "NONE"
}

# --- AdminFunction: same over-privileged role, open HTTP API route --------

data "archive_file" "admin" {
  type        = "zip"
  source_dir  = "${path.module}/src/admin"
  output_path = "${path.module}/build/admin.zip"
}

resource "aws_lambda_function" "AdminFunction" {
  function_name = "AdminFunction"
  filename      = data.archive_file.admin.output_path
  handler       = "app.handler"
  runtime       = "python3.12"
  role          = aws_iam_role.SharedRole.arn
  timeout       = local.timeout
  memory_size   = local.memory_size
  environment {
    variables = local.global_env
  }
}

resource "aws_apigatewayv2_api" "ServerlessHttpApi" {
  name          = "ServerlessHttpApi"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "AdminFunction" {
  api_id                 = aws_apigatewayv2_api.ServerlessHttpApi.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.AdminFunction.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "Admin" {
  api_id    = aws_apigatewayv2_api.ServerlessHttpApi.id
  route_key = "POST /admin"
  target    = "integrations/${aws_apigatewayv2_integration.AdminFunction.id}"
}

resource "aws_apigatewayv2_stage" "ServerlessHttpApiStage" {
  api_id      = aws_apigatewayv2_api.ServerlessHttpApi.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_lambda_permission" "AdminFunctionApiPermission" {
  function_name = aws_lambda_function.AdminFunction.function_name
  action        = "lambda:InvokeFunction"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.ServerlessHttpApi.execution_arn}/*/*"
}

resource "aws_iam_role" "SharedRole" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
  inline_policy {
    name = "reports"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", NotAction = "iam:*", Resource = "*" },
        { Effect = "Allow", Action = "iam:PassRole", Resource = "*" },
      ]
    })
  }
}

# --- ThumbnailFunction: async S3 trigger without a dead-letter queue -------

data "aws_iam_policy_document" "ThumbnailFunctionPolicy" {
  # SAM S3CrudPolicy, expanded.
  statement {
    actions = [
      "s3:GetObject",
      "s3:ListBucket",
      "s3:GetBucketLocation",
      "s3:GetObjectVersion",
      "s3:PutObject",
      "s3:PutObjectAcl",
      "s3:GetLifecycleConfiguration",
      "s3:PutLifecycleConfiguration",
      "s3:DeleteObject",
    ]
    resources = [aws_s3_bucket.UploadsBucket.arn, "${aws_s3_bucket.UploadsBucket.arn}/*"]
  }
}

resource "aws_iam_role" "ThumbnailFunctionRole" {
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
  inline_policy {
    name   = "ThumbnailFunctionRolePolicy"
    policy = data.aws_iam_policy_document.ThumbnailFunctionPolicy.json
  }
  managed_policy_arns = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
  ]
}

data "archive_file" "thumbnails" {
  type        = "zip"
  source_dir  = "${path.module}/src/thumbnails"
  output_path = "${path.module}/build/thumbnails.zip"
}

resource "aws_lambda_function" "ThumbnailFunction" {
  function_name = "ThumbnailFunction"
  filename      = data.archive_file.thumbnails.output_path
  handler       = "app.handler"
  runtime       = "python3.12"
  role          = aws_iam_role.ThumbnailFunctionRole.arn
  timeout       = local.timeout
  memory_size   = local.memory_size
  environment {
    variables = local.global_env
  }
  tracing_config {
    mode = "Active"
  }
}

resource "aws_s3_bucket_notification" "Upload" {
  bucket = aws_s3_bucket.UploadsBucket.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.ThumbnailFunction.arn
    events              = ["s3:ObjectCreated:*"]
  }
  depends_on = [aws_lambda_permission.ThumbnailS3Invoke]
}

# Anyone may invoke the thumbnail function directly...
resource "aws_lambda_permission" "ThumbnailPublicInvoke" {
  function_name = aws_lambda_function.ThumbnailFunction.function_name
  action        = "lambda:InvokeFunction"
  principal     = "*"
}

# ...and any bucket in any account may trigger it (no source_account).
resource "aws_lambda_permission" "ThumbnailS3Invoke" {
  function_name = aws_lambda_function.ThumbnailFunction.arn
  action        = "lambda:InvokeFunction"
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.UploadsBucket.arn
}

output "ReportsUrl" {
  value = aws_lambda_function_url.ReportsFunctionUrl.function_url
}
