# A deliberately insecure Google Cloud Function (gen1), for faasguard's
# tests and README: anyone may invoke it (allUsers), it accepts traffic from
# everywhere over plain HTTP too, a secret sits in its environment, and it
# runs as the default service account. Do not deploy it.

variable "project" {
  default = "orders-demo-project"
}

resource "google_storage_bucket" "source" {
  name     = "${var.project}-functions-source"
  location = "EU"
}

resource "google_storage_bucket_object" "archive" {
  name   = "orders.zip"
  bucket = google_storage_bucket.source.name
  source = "./src/orders.zip"
}

resource "google_cloudfunctions_function" "orders" {
  name                         = "orders"
  project                      = var.project
  region                       = "europe-west1"
  runtime                      = "python312"
  entry_point                  = "handler"
  available_memory_mb          = 256
  source_archive_bucket        = google_storage_bucket.source.name
  source_archive_object        = google_storage_bucket_object.archive.name
  trigger_http                 = true
  ingress_settings             = "ALLOW_ALL"
  https_trigger_security_level = "SECURE_OPTIONAL"

  environment_variables = {
    STAGE       = "prod"
    DB_PASSWORD = "Autumn2026-gcp-Pa55!"
  }
}

resource "google_cloudfunctions_function_iam_member" "public_invoker" {
  project        = google_cloudfunctions_function.orders.project
  region         = google_cloudfunctions_function.orders.region
  cloud_function = google_cloudfunctions_function.orders.name
  role           = "roles/cloudfunctions.invoker"
  member         = "allUsers"
}
