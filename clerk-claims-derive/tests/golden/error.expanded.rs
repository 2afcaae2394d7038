::core::compile_error! {
    "invalid shortcode: unknown shortcode `user.emial`: expected a shortcode from Clerk's catalogue or a metadata path, did you mean `user.primary_email_address`?\n  user.emial\n  ^"
}
#[doc(hidden)]
#[allow(unused_qualifications, unused_lifetimes)]
const _: () = {
    use ::clerk_claims::__private as __p;
    static __CLAIMS: [__p::ClaimInfo; 2] = [
        __p::ClaimInfo {
            claim: "email",
            expression: "{{user.emial}}",
            nullable: true,
        },
        __p::ClaimInfo {
            claim: "jwt_template",
            expression: "\"api\"",
            nullable: false,
        },
    ];
    #[inline]
    fn __key(__name: &str) -> __p::Option<usize> {
        match __name {
            "email" => __p::Some(0),
            _ => __p::None,
        }
    }
    const __PLACE: __p::Place = __p::Place::Template("api");
    #[automatically_derived]
    impl __p::ClerkClaims for Broken
    where
        for<'__de> Broken: __p::serde::Deserialize<'__de>,
        for<'__a> Broken: __p::serde::Serialize,
    {
        const TEMPLATE_NAME: __p::Option<&'static str> = __p::Some("api");
        const TEMPLATE_MARKER: bool = true;
        const EXACT_LIFETIME: __p::Option<u32> = __p::None;
        fn jwt_template() -> __p::JwtTemplate {
            __p::jwt_template(
                "api",
                false,
                60u32,
                5u32,
                __p::None,
                __p::claims_object(
                    &[
                        ("email", __p::TemplateValue::Json("\"{{user.emial}}\"")),
                        ("jwt_template", __p::TemplateValue::Json("\"api\"")),
                    ],
                ),
            )
        }
        fn claim_info() -> &'static [__p::ClaimInfo] {
            &__CLAIMS
        }
    }
    #[automatically_derived]
    impl<'__de> __p::serde::Deserialize<'__de> for Broken
    where
        Option<String>: __p::serde::Deserialize<'__de>,
    {
        fn deserialize<__D: __p::serde::Deserializer<'__de>>(
            __deserializer: __D,
        ) -> __p::Result<Self, __D::Error> {
            struct __Visitor;
            impl<'__de> __p::serde::de::Visitor<'__de> for __Visitor
            where
                Option<String>: __p::serde::Deserialize<'__de>,
            {
                type Value = Broken;
                fn expecting(
                    &self,
                    __formatter: &mut __p::core::fmt::Formatter<'_>,
                ) -> __p::core::fmt::Result {
                    __p::expecting_claims(__formatter, "Broken")
                }
                #[inline]
                fn visit_map<__A: __p::serde::de::MapAccess<'__de>>(
                    self,
                    mut __map: __A,
                ) -> __p::Result<Broken, __A::Error> {
                    let mut __f0: __p::Option<Option<String>> = __p::None;
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
                    __p::Ok(Broken {
                        email: __p::take_claim(__f0, &__CLAIMS[0], __PLACE)?,
                    })
                }
            }
            __deserializer.deserialize_map(__Visitor)
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for Broken
    where
        for<'__a> Option<String>: __p::serde::Serialize,
    {
        fn serialize<__S: __p::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> __p::Result<__S::Ok, __S::Error> {
            use __p::serde::ser::SerializeMap as _;
            let mut __map = __serializer.serialize_map(__p::Some(2))?;
            __map.serialize_entry("email", &self.email)?;
            __map.serialize_entry("jwt_template", "api")?;
            __map.end()
        }
    }
    __p::if_schemars! {
        #[automatically_derived] impl __p::schemars::JsonSchema for Broken { fn
        schema_name() -> __p::std::borrow::Cow < 'static, str > {
        __p::std::borrow::Cow::Borrowed("Broken") } fn json_schema(__generator : & mut
        __p::schemars::SchemaGenerator) -> __p::schemars::Schema { use __p:: {
        SchemaViaAny as _, SchemaViaJsonSchema as _ }; __p::object_schema("Broken",
        __p::Some("The custom claims of the Clerk JWT template `api`."),
        __p::std::vec![("email", (& __p::SchemaProbe:: < Option < String > >
        (__p::core::marker::PhantomData)).claim_schema(__generator)), ("jwt_template",
        __p::marker_schema("api")),], & ["email", "jwt_template",],) } }
    }
    #[automatically_derived]
    impl Broken {
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
