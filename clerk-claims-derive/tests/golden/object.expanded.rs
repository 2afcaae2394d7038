#[doc(hidden)]
#[allow(unused_qualifications, unused_lifetimes)]
const _: () = {
    use ::clerk_claims::__private as __p;
    static __CLAIMS: [__p::ClaimInfo; 2] = [
        __p::ClaimInfo {
            claim: "userId",
            expression: "{{user.id}}",
            nullable: false,
        },
        __p::ClaimInfo {
            claim: "innerObject",
            expression: "{…} (the object `Inner`)",
            nullable: false,
        },
    ];
    #[inline]
    fn __key(__name: &str) -> __p::Option<usize> {
        match __name {
            "userId" => __p::Some(0),
            "innerObject" => __p::Some(1),
            _ => __p::None,
        }
    }
    const __PLACE: __p::Place = __p::Place::Object;
    #[automatically_derived]
    impl __p::ClerkObject for Outer
    where
        for<'__de> Outer: __p::serde::Deserialize<'__de>,
        for<'__a> Outer: __p::serde::Serialize,
        for<'__a> Inner: __p::ClerkObject,
    {
        const CLAIMS_LEN: usize = 41 - 2 * 1 + <Inner as __p::ClerkObject>::CLAIMS_LEN;
        fn template_claims() -> __p::serde_json::Value {
            __p::claims_object(
                &[
                    ("userId", __p::TemplateValue::Json("\"{{user.id}}\"")),
                    (
                        "innerObject",
                        __p::TemplateValue::Nested(__p::nested_claims::<Inner>),
                    ),
                ],
            )
        }
        fn claim_info() -> &'static [__p::ClaimInfo] {
            static __INFO: __p::std::sync::OnceLock<
                __p::std::vec::Vec<__p::ClaimInfo>,
            > = __p::std::sync::OnceLock::new();
            __p::claim_info(
                &__INFO,
                &[
                    __p::InfoEntry::Own(&__CLAIMS[0]),
                    __p::InfoEntry::Nested(&__CLAIMS[1], __p::nested_info::<Inner>),
                ],
            )
        }
    }
    #[automatically_derived]
    impl<'__de> __p::serde::Deserialize<'__de> for Outer
    where
        String: __p::serde::Deserialize<'__de>,
        Inner: __p::serde::Deserialize<'__de>,
    {
        fn deserialize<__D: __p::serde::Deserializer<'__de>>(
            __deserializer: __D,
        ) -> __p::Result<Self, __D::Error> {
            struct __Visitor;
            impl<'__de> __p::serde::de::Visitor<'__de> for __Visitor
            where
                String: __p::serde::Deserialize<'__de>,
                Inner: __p::serde::Deserialize<'__de>,
            {
                type Value = Outer;
                fn expecting(
                    &self,
                    __formatter: &mut __p::core::fmt::Formatter<'_>,
                ) -> __p::core::fmt::Result {
                    __p::expecting_claims(__formatter, "Outer")
                }
                #[inline]
                fn visit_map<__A: __p::serde::de::MapAccess<'__de>>(
                    self,
                    mut __map: __A,
                ) -> __p::Result<Outer, __A::Error> {
                    let mut __f0: __p::Option<String> = __p::None;
                    let mut __f1: __p::Option<Inner> = __p::None;
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
                            __p::Some(1) => {
                                __p::next_claim(
                                    &mut __map,
                                    &mut __f1,
                                    &__CLAIMS[1],
                                    __PLACE,
                                )?
                            }
                            _ => __p::skip_claim(&mut __map)?,
                        }
                    }
                    __p::Ok(Outer {
                        user_id: __p::take_claim(__f0, &__CLAIMS[0], __PLACE)?,
                        inner_object: __p::take_claim(__f1, &__CLAIMS[1], __PLACE)?,
                    })
                }
            }
            __deserializer.deserialize_map(__Visitor)
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for Outer
    where
        for<'__a> String: __p::serde::Serialize,
        for<'__a> Inner: __p::serde::Serialize,
    {
        fn serialize<__S: __p::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> __p::Result<__S::Ok, __S::Error> {
            use __p::serde::ser::SerializeMap as _;
            let mut __map = __serializer.serialize_map(__p::Some(2))?;
            __map.serialize_entry("userId", &self.user_id)?;
            __map.serialize_entry("innerObject", &self.inner_object)?;
            __map.end()
        }
    }
    __p::if_schemars! {
        #[automatically_derived] impl __p::schemars::JsonSchema for Outer { fn
        schema_name() -> __p::std::borrow::Cow < 'static, str > {
        __p::std::borrow::Cow::Borrowed("Outer") } fn json_schema(__generator : & mut
        __p::schemars::SchemaGenerator) -> __p::schemars::Schema { use __p:: {
        SchemaViaAny as _, SchemaViaJsonSchema as _ }; __p::object_schema("Outer",
        __p::Some("A claims object nested in a Clerk JWT template (`Outer`)."),
        __p::std::vec![("userId", (& __p::SchemaProbe:: < String >
        (__p::core::marker::PhantomData)).claim_schema(__generator)), ("innerObject", (&
        __p::SchemaProbe:: < Inner > (__p::core::marker::PhantomData))
        .claim_schema(__generator)),], & ["userId", "innerObject",],) } }
    }
    const _: fn() = || {
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot hold `{{{{user.id}}}}`, which is a JSON string",
            label = "expected a type that holds a JSON string, e.g. `String`",
            note = "type aliases are fine: the check goes through trait bounds"
        )]
        trait __ClaimFits {}
        impl<__T: ?Sized + __p::AcceptsString> __ClaimFits for __T {}
        fn __assert_claim_fits<__T: ?Sized + __ClaimFits>() {}
        __assert_claim_fits::<String>();
    };
    const _: fn() = || {
        #[allow(unused_imports)]
        use __p::SerializeProbeFallback as _;
        fn __assert_field_type<__T: __p::ClaimDeserialize>() {}
        __assert_field_type::<String>();
        __p::check_serialize(
            (&__p::SerializeProbe::<String>(__p::core::marker::PhantomData))
                .serialize_check(),
        );
    };
    const _: fn() = || {
        fn __assert_field_type<__T: __p::ClerkObject>() {}
        __assert_field_type::<Inner>();
    };
    #[automatically_derived]
    impl Outer {
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
