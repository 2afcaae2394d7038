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
    impl<'de> __p::serde::Deserialize<'de> for Tuple {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            _: D,
        ) -> __p::Result<Self, D::Error> {
            __p::core::unreachable!()
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for Tuple {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            _: S,
        ) -> __p::Result<S::Ok, S::Error> {
            __p::core::unreachable!()
        }
    }
    #[automatically_derived]
    impl Tuple {
        /// Whether the token's role is `role` (`false` without an active organization).
        #[inline]
        pub fn has_role<__R>(&self, role: __R) -> bool
        where
            __R: __p::ClerkRole,
            Self: __p::HasRole<__R>,
        {
            __p::has_role(self, role)
        }
        /// Whether the token's role is one of `roles`.
        #[inline]
        pub fn has_any_role<__R>(&self, roles: &[__R]) -> bool
        where
            __R: __p::ClerkRole,
            Self: __p::HasRole<__R>,
        {
            __p::has_any_role(self, roles)
        }
        /// `Ok` when the token's role is `role`, else [`Forbidden`](__p::Forbidden).
        pub fn require_role<__R>(&self, role: __R) -> __p::Result<(), __p::Forbidden>
        where
            __R: __p::ClerkRole,
            Self: __p::HasRole<__R>,
        {
            __p::require_role(self, role)
        }
        /// `Ok` when the token's role is one of `roles`, else [`Forbidden`](__p::Forbidden).
        pub fn require_any_role<__R>(
            &self,
            roles: &[__R],
        ) -> __p::Result<(), __p::Forbidden>
        where
            __R: __p::ClerkRole,
            Self: __p::HasRole<__R>,
        {
            __p::require_any_role(self, roles)
        }
        /// Whether `permission` is granted.
        #[inline]
        pub fn has_permission<__P>(&self, permission: __P) -> bool
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::has_permission(self, permission)
        }
        /// Whether at least one of `permissions` is granted.
        #[inline]
        pub fn has_any_permission<__P>(&self, permissions: &[__P]) -> bool
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::has_any_permission(self, permissions)
        }
        /// Whether every one of `permissions` is granted.
        #[inline]
        pub fn has_all_permissions<__P>(&self, permissions: &[__P]) -> bool
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::has_all_permissions(self, permissions)
        }
        /// `Ok` when `permission` is granted, else [`Forbidden`](__p::Forbidden).
        pub fn require_permission<__P>(
            &self,
            permission: __P,
        ) -> __p::Result<(), __p::Forbidden>
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::require_permission(self, permission)
        }
        /// `Ok` when one of `permissions` is granted, else [`Forbidden`](__p::Forbidden).
        pub fn require_any_permission<__P>(
            &self,
            permissions: &[__P],
        ) -> __p::Result<(), __p::Forbidden>
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::require_any_permission(self, permissions)
        }
        /// `Ok` when all of `permissions` are granted, else [`Forbidden`](__p::Forbidden).
        pub fn require_all_permissions<__P>(
            &self,
            permissions: &[__P],
        ) -> __p::Result<(), __p::Forbidden>
        where
            __P: __p::ClerkPermission,
            Self: __p::HasPermission<__P>,
        {
            __p::require_all_permissions(self, permissions)
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
