::core::compile_error! {
    "invalid shortcode: unknown shortcode `user.emial`: expected a shortcode from Clerk's catalogue or a metadata path, did you mean `user.primary_email_address`?\n  user.emial\n  ^"
}
#[doc(hidden)]
#[allow(unused_qualifications, unused_lifetimes)]
const _: () = {
    use ::clerk_claims::__private as __p;
    static __CLAIMS: [__p::ClaimInfo; 1] = [
        __p::ClaimInfo {
            claim: "email",
            expression: "{{user.emial}}",
            nullable: true,
        },
    ];
    #[inline]
    fn __key(name: &str) -> __p::Option<usize> {
        match name {
            "email" => __p::Some(0),
            _ => __p::None,
        }
    }
    const __PLACE: __p::Place = __p::Place::Template("api");
    #[automatically_derived]
    impl __p::ClerkClaims for Broken
    where
        for<'de> Broken: __p::serde::Deserialize<'de>,
        for<'__a> Broken: __p::serde::Serialize,
    {
        const TEMPLATE_NAME: __p::Option<&'static str> = __p::Some("api");
        fn jwt_template() -> __p::JwtTemplate {
            __p::jwt_template(
                "api",
                false,
                60u32,
                5u32,
                __p::None,
                __p::claims_object(
                    &[("email", __p::TemplateValue::Json("\"{{user.emial}}\""))],
                ),
            )
        }
        fn claim_info() -> &'static [__p::ClaimInfo] {
            &__CLAIMS
        }
    }
    #[automatically_derived]
    impl<'de> __p::serde::Deserialize<'de> for Broken
    where
        Option<String>: __p::serde::Deserialize<'de>,
    {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            struct __Visitor;
            impl<'de> __p::serde::de::Visitor<'de> for __Visitor
            where
                Option<String>: __p::serde::Deserialize<'de>,
            {
                type Value = Broken;
                fn expecting(
                    &self,
                    f: &mut __p::core::fmt::Formatter<'_>,
                ) -> __p::core::fmt::Result {
                    __p::expecting_claims(f, "Broken")
                }
                #[inline]
                fn visit_map<A: __p::serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> __p::Result<Broken, A::Error> {
                    let mut __f0: __p::Option<Option<String>> = __p::None;
                    while let __p::Some(key) = map.next_key_seed(__p::ClaimKeys(__key))?
                    {
                        match key {
                            __p::Some(0) => {
                                __p::next_claim(&mut map, &mut __f0, &__CLAIMS[0], __PLACE)?
                            }
                            _ => __p::skip_claim(&mut map)?,
                        }
                    }
                    __p::Ok(Broken {
                        email: __p::take_claim(__f0, &__CLAIMS[0], __PLACE)?,
                    })
                }
            }
            deserializer.deserialize_map(__Visitor)
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for Broken
    where
        for<'__a> Option<String>: __p::serde::Serialize,
    {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            use __p::serde::ser::SerializeMap as _;
            let mut map = serializer.serialize_map(__p::Some(1))?;
            map.serialize_entry("email", &self.email)?;
            map.end()
        }
    }
    __p::if_schemars! {
        #[automatically_derived] impl __p::schemars::JsonSchema for Broken { fn
        schema_name() -> __p::std::borrow::Cow < 'static, str > {
        __p::std::borrow::Cow::Borrowed("Broken") } fn json_schema(generator : & mut
        __p::schemars::SchemaGenerator) -> __p::schemars::Schema { use __p:: {
        SchemaViaAny as _, SchemaViaJsonSchema as _ }; __p::object_schema("Broken",
        __p::Some("The custom claims of the Clerk JWT template `api`."),
        __p::std::vec![("email", (& __p::SchemaProbe:: < Option < String > >
        (__p::core::marker::PhantomData)).claim_schema(generator))], & ["email"],) } }
    }
    #[automatically_derived]
    impl Broken {
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
