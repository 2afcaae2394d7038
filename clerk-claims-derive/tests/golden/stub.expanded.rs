::core::compile_error! {
    "#[derive(ClerkClaims)] works on structs with named fields only: each field is one claim"
}
#[doc(hidden)]
#[allow(unused_qualifications, unused_lifetimes)]
const _: () = {
    use ::clerk_claims::__private as __p;
    #[automatically_derived]
    impl __p::ClerkClaims for Tuple {
        const TEMPLATE_NAME: __p::Option<&'static str> = __p::None;
        fn jwt_template() -> __p::JwtTemplate {
            __p::core::unreachable!()
        }
        fn claim_info() -> &'static [__p::ClaimInfo] {
            &[]
        }
    }
    #[automatically_derived]
    impl<'__de> __p::serde::Deserialize<'__de> for Tuple {
        fn deserialize<__D: __p::serde::Deserializer<'__de>>(
            _: __D,
        ) -> __p::Result<Self, __D::Error> {
            __p::core::unreachable!()
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for Tuple {
        fn serialize<__S: __p::serde::Serializer>(
            &self,
            _: __S,
        ) -> __p::Result<__S::Ok, __S::Error> {
            __p::core::unreachable!()
        }
    }
    #[automatically_derived]
    impl Tuple {
        /// Whether the token's role is the given one (`false` without an active organization).
        #[inline]
        pub fn has_role<__R>(&self, __role: __R) -> bool
        where
            __R: __p::ClerkRole,
            Self: __p::HasRole<__R>,
        {
            __p::has_role(self, __role)
        }
        /// Whether the token's role is one of the given ones.
        #[inline]
        pub fn has_any_role<__R>(&self, __roles: &[__R]) -> bool
        where
            __R: __p::ClerkRole,
            Self: __p::HasRole<__R>,
        {
            __p::has_any_role(self, __roles)
        }
        /// `Ok` when the token's role is the given one, else [`Forbidden`](__p::Forbidden).
        pub fn require_role<__R>(&self, __role: __R) -> __p::Result<(), __p::Forbidden>
        where
            __R: __p::ClerkRole,
            Self: __p::HasRole<__R>,
        {
            __p::require_role(self, __role)
        }
        /// `Ok` when the token's role is one of the given ones, else [`Forbidden`](__p::Forbidden).
        pub fn require_any_role<__R>(
            &self,
            __roles: &[__R],
        ) -> __p::Result<(), __p::Forbidden>
        where
            __R: __p::ClerkRole,
            Self: __p::HasRole<__R>,
        {
            __p::require_any_role(self, __roles)
        }
        /// Whether the given permission is granted.
        #[inline]
        pub fn has_permission<__P>(&self, __permission: __P) -> bool
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::has_permission(self, __permission)
        }
        /// Whether at least one of the given permissions is granted.
        #[inline]
        pub fn has_any_permission<__P>(&self, __permissions: &[__P]) -> bool
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::has_any_permission(self, __permissions)
        }
        /// Whether every one of the given permissions is granted.
        #[inline]
        pub fn has_all_permissions<__P>(&self, __permissions: &[__P]) -> bool
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::has_all_permissions(self, __permissions)
        }
        /// `Ok` when the given permission is granted, else [`Forbidden`](__p::Forbidden).
        pub fn require_permission<__P>(
            &self,
            __permission: __P,
        ) -> __p::Result<(), __p::Forbidden>
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::require_permission(self, __permission)
        }
        /// `Ok` when one of the given permissions is granted, else [`Forbidden`](__p::Forbidden).
        pub fn require_any_permission<__P>(
            &self,
            __permissions: &[__P],
        ) -> __p::Result<(), __p::Forbidden>
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::require_any_permission(self, __permissions)
        }
        /// `Ok` when all of the given permissions are granted, else [`Forbidden`](__p::Forbidden).
        pub fn require_all_permissions<__P>(
            &self,
            __permissions: &[__P],
        ) -> __p::Result<(), __p::Forbidden>
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::require_all_permissions(self, __permissions)
        }
    }
    #[automatically_derived]
    impl<__R: __p::ClerkRole> __p::HasRole<__R> for Tuple {
        fn has_role(&self, _: __R) -> bool {
            __p::core::unreachable!()
        }
        fn role_key(&self) -> __p::Option<&str> {
            __p::core::unreachable!()
        }
    }
    #[automatically_derived]
    impl<__P: __p::ClerkPermission> __p::HasPermission<__P> for Tuple {
        fn has_permission(&self, _: __P) -> bool {
            __p::core::unreachable!()
        }
        fn permission_keys(&self) -> __p::std::vec::Vec<&str> {
            __p::core::unreachable!()
        }
    }
};
