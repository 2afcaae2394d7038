#[doc(hidden)]
#[allow(unused_qualifications, unused_lifetimes)]
const _: () = {
    use ::clerk_claims::__private as __p;
    static __CLAIMS: [__p::ClaimInfo; 1] = [
        __p::ClaimInfo {
            claim: "https://hasura.io/jwt/claims",
            expression: "{…} (the object `HasuraClaims`)",
            nullable: false,
        },
    ];
    #[inline]
    fn __key(name: &str) -> __p::Option<usize> {
        match name {
            "https://hasura.io/jwt/claims" => __p::Some(0),
            _ => __p::None,
        }
    }
    const __PLACE: __p::Place = __p::Place::Template("hasura");
    const _: () = {
        #[allow(unused_imports)]
        use __p::ObjectLenFallback as _;
        __p::check_claims_len(35 - 2 * 1 + <__p::ObjectLen<HasuraClaims>>::CLAIMS_LEN)
    };
    #[automatically_derived]
    impl __p::ClerkClaims for HasuraToken
    where
        for<'de> HasuraToken: __p::serde::Deserialize<'de>,
        for<'__a> HasuraToken: __p::serde::Serialize,
        for<'__a> HasuraClaims: __p::ClerkObject,
    {
        const TEMPLATE_NAME: __p::Option<&'static str> = __p::Some("hasura");
        fn jwt_template() -> __p::JwtTemplate {
            __p::jwt_template(
                "hasura",
                false,
                60u32,
                5u32,
                __p::None,
                __p::claims_object(
                    &[
                        (
                            "https://hasura.io/jwt/claims",
                            __p::TemplateValue::Nested(
                                __p::nested_claims::<HasuraClaims>,
                            ),
                        ),
                    ],
                ),
            )
        }
        fn claim_info() -> &'static [__p::ClaimInfo] {
            static __INFO: __p::std::sync::OnceLock<
                __p::std::vec::Vec<__p::ClaimInfo>,
            > = __p::std::sync::OnceLock::new();
            __p::claim_info(
                &__INFO,
                &[__p::InfoEntry::Nested(&__CLAIMS[0], __p::nested_info::<HasuraClaims>)],
            )
        }
    }
    #[automatically_derived]
    impl<'de> __p::serde::Deserialize<'de> for HasuraToken
    where
        HasuraClaims: __p::serde::Deserialize<'de>,
    {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            struct __Visitor;
            impl<'de> __p::serde::de::Visitor<'de> for __Visitor
            where
                HasuraClaims: __p::serde::Deserialize<'de>,
            {
                type Value = HasuraToken;
                fn expecting(
                    &self,
                    f: &mut __p::core::fmt::Formatter<'_>,
                ) -> __p::core::fmt::Result {
                    __p::expecting_claims(f, "HasuraToken")
                }
                #[inline]
                fn visit_map<A: __p::serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> __p::Result<HasuraToken, A::Error> {
                    let mut __f0: __p::Option<HasuraClaims> = __p::None;
                    while let __p::Some(key) = map.next_key_seed(__p::ClaimKeys(__key))?
                    {
                        match key {
                            __p::Some(0) => {
                                __p::next_claim(&mut map, &mut __f0, &__CLAIMS[0], __PLACE)?
                            }
                            _ => __p::skip_claim(&mut map)?,
                        }
                    }
                    __p::Ok(HasuraToken {
                        hasura: __p::take_claim(__f0, &__CLAIMS[0], __PLACE)?,
                    })
                }
            }
            deserializer.deserialize_map(__Visitor)
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for HasuraToken
    where
        for<'__a> HasuraClaims: __p::serde::Serialize,
    {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            use __p::serde::ser::SerializeMap as _;
            let mut map = serializer.serialize_map(__p::Some(1))?;
            map.serialize_entry("https://hasura.io/jwt/claims", &self.hasura)?;
            map.end()
        }
    }
    __p::if_schemars! {
        #[automatically_derived] impl __p::schemars::JsonSchema for HasuraToken { fn
        schema_name() -> __p::std::borrow::Cow < 'static, str > {
        __p::std::borrow::Cow::Borrowed("HasuraToken") } fn json_schema(generator : & mut
        __p::schemars::SchemaGenerator) -> __p::schemars::Schema { use __p:: {
        SchemaViaAny as _, SchemaViaJsonSchema as _ }; __p::object_schema("HasuraToken",
        __p::Some("The custom claims of the Clerk JWT template `hasura`."),
        __p::std::vec![("https://hasura.io/jwt/claims", (& __p::SchemaProbe:: <
        HasuraClaims > (__p::core::marker::PhantomData)).claim_schema(generator))], &
        ["https://hasura.io/jwt/claims"],) } }
    }
    const _: fn() = || {
        fn assert_field_type<T: __p::ClerkObject>() {}
        assert_field_type::<HasuraClaims>();
    };
    #[automatically_derived]
    impl HasuraToken {
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
};
