#[doc(hidden)]
#[allow(unused_qualifications, unused_lifetimes)]
const _: () = {
    use ::clerk_claims::__private as __p;
    static __CLAIMS: [__p::ClaimInfo; 2] = [
        __p::ClaimInfo {
            claim: "https://hasura.io/jwt/claims",
            expression: "{…} (the object `HasuraClaims`)",
            nullable: false,
        },
        __p::ClaimInfo {
            claim: "jwt_template",
            expression: "\"hasura\"",
            nullable: false,
        },
    ];
    #[inline]
    fn __key(__name: &str) -> __p::Option<usize> {
        match __name {
            "https://hasura.io/jwt/claims" => __p::Some(0),
            _ => __p::None,
        }
    }
    const __PLACE: __p::Place = __p::Place::Template("hasura");
    const _: () = {
        #[allow(unused_imports)]
        use __p::ObjectLenFallback as _;
        __p::check_claims_len(59 - 2 * 1 + <__p::ObjectLen<HasuraClaims>>::CLAIMS_LEN)
    };
    #[automatically_derived]
    impl __p::ClerkClaims for HasuraToken
    where
        for<'__de> HasuraToken: __p::serde::Deserialize<'__de>,
        for<'__a> HasuraToken: __p::serde::Serialize,
        for<'__a> HasuraClaims: __p::ClerkObject,
    {
        const TEMPLATE_NAME: __p::Option<&'static str> = __p::Some("hasura");
        const TEMPLATE_MARKER: bool = true;
        const EXACT_LIFETIME: __p::Option<u32> = __p::None;
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
                        ("jwt_template", __p::TemplateValue::Json("\"hasura\"")),
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
                &[
                    __p::InfoEntry::Nested(
                        &__CLAIMS[0],
                        __p::nested_info::<HasuraClaims>,
                    ),
                    __p::InfoEntry::Own(&__CLAIMS[1]),
                ],
            )
        }
    }
    #[automatically_derived]
    impl<'__de> __p::serde::Deserialize<'__de> for HasuraToken
    where
        HasuraClaims: __p::serde::Deserialize<'__de>,
    {
        fn deserialize<__D: __p::serde::Deserializer<'__de>>(
            __deserializer: __D,
        ) -> __p::Result<Self, __D::Error> {
            struct __Visitor;
            impl<'__de> __p::serde::de::Visitor<'__de> for __Visitor
            where
                HasuraClaims: __p::serde::Deserialize<'__de>,
            {
                type Value = HasuraToken;
                fn expecting(
                    &self,
                    __formatter: &mut __p::core::fmt::Formatter<'_>,
                ) -> __p::core::fmt::Result {
                    __p::expecting_claims(__formatter, "HasuraToken")
                }
                #[inline]
                fn visit_map<__A: __p::serde::de::MapAccess<'__de>>(
                    self,
                    mut __map: __A,
                ) -> __p::Result<HasuraToken, __A::Error> {
                    let mut __f0: __p::Option<HasuraClaims> = __p::None;
                    while let __p::Some(__claim) = __map
                        .next_key_seed(__p::ClaimKeys(__key))?
                    {
                        match __claim {
                            __p::Some(0) => {
                                __p::next_claim(
                                    &mut __map,
                                    &mut __f0,
                                    &__CLAIMS[0],
                                    __PLACE,
                                )?
                            }
                            _ => __p::skip_claim(&mut __map)?,
                        }
                    }
                    __p::Ok(HasuraToken {
                        hasura: __p::take_claim(__f0, &__CLAIMS[0], __PLACE)?,
                    })
                }
            }
            __deserializer.deserialize_map(__Visitor)
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for HasuraToken
    where
        for<'__a> HasuraClaims: __p::serde::Serialize,
    {
        fn serialize<__S: __p::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> __p::Result<__S::Ok, __S::Error> {
            use __p::serde::ser::SerializeMap as _;
            let mut __map = __serializer.serialize_map(__p::Some(2))?;
            __map.serialize_entry("https://hasura.io/jwt/claims", &self.hasura)?;
            __map.serialize_entry("jwt_template", "hasura")?;
            __map.end()
        }
    }
    __p::if_schemars! {
        #[automatically_derived] impl __p::schemars::JsonSchema for HasuraToken { fn
        schema_name() -> __p::std::borrow::Cow < 'static, str > {
        __p::std::borrow::Cow::Borrowed("HasuraToken") } fn json_schema(__generator : &
        mut __p::schemars::SchemaGenerator) -> __p::schemars::Schema { use __p:: {
        SchemaViaAny as _, SchemaViaJsonSchema as _ }; __p::object_schema("HasuraToken",
        __p::Some("The custom claims of the Clerk JWT template `hasura`."),
        __p::std::vec![("https://hasura.io/jwt/claims", (& __p::SchemaProbe:: <
        HasuraClaims > (__p::core::marker::PhantomData)).claim_schema(__generator)),
        ("jwt_template", __p::marker_schema("hasura")),], &
        ["https://hasura.io/jwt/claims", "jwt_template",],) } }
    }
    const _: fn() = || {
        fn __assert_field_type<__T: __p::ClerkObject>() {}
        __assert_field_type::<HasuraClaims>();
    };
    #[automatically_derived]
    impl HasuraToken {
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
};
