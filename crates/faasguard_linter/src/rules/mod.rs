//! Rules by category; one file per rule.
//!
//! | folder      | codes  | what                                               |
//! |-------------|--------|----------------------------------------------------|
//! | `input`     | INP    | files, and handler code, that could not be read    |
//! | `triggers`  | TRG    | who can invoke a function                          |
//! | `iam`       | IAM    | what a function's role may do                      |
//! | `secrets`   | SEC    | secrets in configuration                           |
//! | `config`    | CFG    | runtime and deployment settings                    |
//! | `monitoring`| MON    | tracing and logging                                |
//! | `resilience`| RES    | lost events, concurrency, denial of wallet         |
//! | `azure`     | AZF    | Azure function app settings                        |
//! | `gcp`       | GCF    | Google Cloud Functions settings                    |
//! | `paths`     | PATH   | combinations: internet to function to privilege    |
//! | `least_privilege` | LP | the role against what the function code needs |
//! | `code`    | CODE   | unsafe practices in the function code (secrets, TLS, errors) |
//! | `injection` | INJ | event data reaching dangerous sinks in the function code |
//! | `dependencies` | DEP | third-party packages the functions ship (lockfiles, advisories) |

pub(crate) mod azure;
pub(crate) mod code;
pub(crate) mod config;
pub(crate) mod dependencies;
pub(crate) mod gcp;
pub(crate) mod iam;
pub(crate) mod injection;
pub(crate) mod input;
pub(crate) mod least_privilege;
pub(crate) mod monitoring;
pub(crate) mod paths;
pub(crate) mod resilience;
pub(crate) mod secrets;
pub(crate) mod triggers;
