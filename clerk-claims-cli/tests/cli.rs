//! The command's end-to-end tests as one binary: each module is one file of this folder.

mod common;

mod dev_webhooks;
mod doctor_cmds;
mod readme;
mod request_inspect;
mod sessions_cmds;
mod template_cmds;
mod template_init;
mod token_inspect;
