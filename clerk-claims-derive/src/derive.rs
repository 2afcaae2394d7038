//! One function per derive: read the input, check it, expand; on error, the errors plus an
//! expansion that still compiles (or stubs), so one mistake gives one message.

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::ast::{Enum, EnumKind, Struct};
use crate::attr::{Container, Target};
use crate::ctxt::Ctxt;
use crate::{expand, fallback, valid};

fn finish(cx: Ctxt, body: TokenStream) -> TokenStream {
    match cx.check() {
        Ok(()) => body,
        Err(err) => {
            let mut out = err.to_compile_error();
            out.extend(body);
            out
        }
    }
}

/// `#[derive(ClerkClaims)]`.
pub fn claims(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let attrs = Container::from_ast(&cx, &input.attrs, Target::Claims);
    let krate = attrs.krate();
    let Some(s) = Struct::from_ast(&cx, input, attrs) else {
        return finish(cx, fallback::claims(input, &krate));
    };
    valid::check_struct(&cx, &s);
    valid::check_size(&cx, &s, expand::claims::own_claims_len(&s));
    let body = if s.kind.is_some() {
        expand::claims::expand(&s, !cx.has_errors())
    } else {
        fallback::claims(input, &s.krate)
    };
    finish(cx, body)
}

/// `#[derive(ClerkRole)]`.
pub fn role(input: &DeriveInput) -> TokenStream {
    enum_derive(input, EnumKind::Role)
}

/// `#[derive(ClerkPermission)]`.
pub fn permission(input: &DeriveInput) -> TokenStream {
    enum_derive(input, EnumKind::Permission)
}

fn enum_derive(input: &DeriveInput, kind: EnumKind) -> TokenStream {
    let cx = Ctxt::new();
    let attrs = Container::from_ast(&cx, &input.attrs, Target::Enum);
    let krate = attrs.krate();
    let Some(e) = Enum::from_ast(&cx, input, kind, attrs) else {
        return finish(cx, fallback::enum_stub(input, &krate, kind));
    };
    valid::check_enum(&cx, &e);
    // The expansion compiles whatever the keys are, so it doubles as the fallback.
    let body = match kind {
        EnumKind::Role => expand::role::expand(&e),
        EnumKind::Permission => expand::permission::expand(&e),
    };
    finish(cx, body)
}
