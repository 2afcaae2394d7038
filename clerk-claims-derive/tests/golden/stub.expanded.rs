::core::compile_error! {
    "#[derive(ClerkClaims)] works on structs with named fields only: each field is one claim"
}
#[doc(hidden)]
#[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
const _: () = {
    use ::clerk_claims::__private as __p;
    impl __p::ClerkClaims for Tuple {
        const TEMPLATE_NAME: __p::Option<&'static str> = __p::None;
        fn jwt_template() -> __p::JwtTemplate {
            __p::core::unreachable!()
        }
        fn claim_info() -> &'static [__p::ClaimInfo] {
            &[]
        }
    }
    impl<'de> __p::serde::Deserialize<'de> for Tuple {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            _: D,
        ) -> __p::Result<Self, D::Error> {
            __p::core::unreachable!()
        }
    }
    impl __p::serde::Serialize for Tuple {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            _: S,
        ) -> __p::Result<S::Ok, S::Error> {
            __p::core::unreachable!()
        }
    }
    #[allow(missing_docs)]
    impl Tuple {
        pub fn has_role<R>(&self, _: R) -> bool {
            __p::core::unreachable!()
        }
        pub fn has_any_role<R>(&self, _: &[R]) -> bool {
            __p::core::unreachable!()
        }
        pub fn require_role<R>(&self, _: R) -> __p::Result<(), __p::Forbidden> {
            __p::core::unreachable!()
        }
        pub fn require_any_role<R>(&self, _: &[R]) -> __p::Result<(), __p::Forbidden> {
            __p::core::unreachable!()
        }
        pub fn has_permission<P>(&self, _: P) -> bool {
            __p::core::unreachable!()
        }
        pub fn has_any_permission<P>(&self, _: &[P]) -> bool {
            __p::core::unreachable!()
        }
        pub fn has_all_permissions<P>(&self, _: &[P]) -> bool {
            __p::core::unreachable!()
        }
        pub fn require_permission<P>(&self, _: P) -> __p::Result<(), __p::Forbidden> {
            __p::core::unreachable!()
        }
        pub fn require_any_permission<P>(
            &self,
            _: &[P],
        ) -> __p::Result<(), __p::Forbidden> {
            __p::core::unreachable!()
        }
        pub fn require_all_permissions<P>(
            &self,
            _: &[P],
        ) -> __p::Result<(), __p::Forbidden> {
            __p::core::unreachable!()
        }
    }
};
