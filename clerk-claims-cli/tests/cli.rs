//! The command's end-to-end tests as one binary: each module is one file of this folder.

mod common;

mod dev_seed;
mod dev_webhooks;
mod diagnoses;
mod doctor_cmds;
mod readme;
mod request_inspect;
mod request_org_patterns;
mod roles_cmds;
mod sessions_cmds;
mod sessions_end;
mod template_cmds;
mod template_init;
mod template_output;
mod token_inspect;
mod token_template_has;
