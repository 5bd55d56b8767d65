//! Function code, read without running it.
//!
//! - [`parse`]: Python, JavaScript and TypeScript source into tree-sitter
//!   trees, bounded (2 MB per file, a work budget per parse; tree walks
//!   are iterative, so depth cannot overflow the stack), never panicking
//!   on broken code.
//! - [`handler`]: which file and function a function's handler is, from
//!   the model (SAM `CodeUri` + `Handler`, CloudFormation `Code`, Serverless
//!   `handler`, Terraform `filename`/`source_dir`, Azure `scriptFile`), and
//!   the local modules it imports, transitively.
//! - [`sdk`]: the AWS SDK calls in a parsed module (boto3; aws-sdk v2 and
//!   @aws-sdk v3), with the client's service, the operation and the
//!   arguments that name resources.
//!
//! Architecture invariant: pure. The CLI reads the files this crate asks
//! for into the `SourceDb`; nothing here touches the file system, and
//! scanned code is never executed.
#![deny(missing_docs)]

pub mod handler;
pub mod parse;
pub mod paths;
pub mod sdk;
