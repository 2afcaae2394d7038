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
    fn __key(name: &str) -> __p::Option<usize> {
        match name {
            "userId" => __p::Some(0),
            "innerObject" => __p::Some(1),
            _ => __p::None,
        }
    }
    const __PLACE: __p::Place = __p::Place::Object;
    #[automatically_derived]
    impl __p::ClerkObject for Outer
    where
        for<'de> Outer: __p::serde::Deserialize<'de>,
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
    impl<'de> __p::serde::Deserialize<'de> for Outer
    where
        String: __p::serde::Deserialize<'de>,
        Inner: __p::serde::Deserialize<'de>,
    {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            struct __Visitor;
            impl<'de> __p::serde::de::Visitor<'de> for __Visitor
            where
                String: __p::serde::Deserialize<'de>,
                Inner: __p::serde::Deserialize<'de>,
            {
                type Value = Outer;
                fn expecting(
                    &self,
                    f: &mut __p::core::fmt::Formatter<'_>,
                ) -> __p::core::fmt::Result {
                    __p::expecting_claims(f, "Outer")
                }
                #[inline]
                fn visit_map<A: __p::serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> __p::Result<Outer, A::Error> {
                    let mut __f0: __p::Option<String> = __p::None;
                    let mut __f1: __p::Option<Inner> = __p::None;
                    while let __p::Some(key) = map.next_key_seed(__p::ClaimKeys(__key))?
                    {
                        match key {
                            __p::Some(0) => {
                                __p::next_claim(&mut map, &mut __f0, &__CLAIMS[0], __PLACE)?
                            }
                            __p::Some(1) => {
                                __p::next_claim(&mut map, &mut __f1, &__CLAIMS[1], __PLACE)?
                            }
                            _ => __p::skip_claim(&mut map)?,
                        }
                    }
                    __p::Ok(Outer {
                        user_id: __p::take_claim(__f0, &__CLAIMS[0], __PLACE)?,
                        inner_object: __p::take_claim(__f1, &__CLAIMS[1], __PLACE)?,
                    })
                }
            }
            deserializer.deserialize_map(__Visitor)
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for Outer
    where
        for<'__a> String: __p::serde::Serialize,
        for<'__a> Inner: __p::serde::Serialize,
    {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            use __p::serde::ser::SerializeMap as _;
            let mut map = serializer.serialize_map(__p::Some(2))?;
            map.serialize_entry("userId", &self.user_id)?;
            map.serialize_entry("innerObject", &self.inner_object)?;
            map.end()
        }
    }
    __p::if_schemars! {
        #[automatically_derived] impl __p::schemars::JsonSchema for Outer { fn
        schema_name() -> __p::std::borrow::Cow < 'static, str > {
        __p::std::borrow::Cow::Borrowed("Outer") } fn json_schema(generator : & mut
        __p::schemars::SchemaGenerator) -> __p::schemars::Schema { use __p:: {
        SchemaViaAny as _, SchemaViaJsonSchema as _ }; __p::object_schema("Outer",
        __p::Some("A claims object nested in a Clerk JWT template (`Outer`)."),
        __p::std::vec![("userId", (& __p::SchemaProbe:: < String >
        (__p::core::marker::PhantomData)).claim_schema(generator)), ("innerObject", (&
        __p::SchemaProbe:: < Inner > (__p::core::marker::PhantomData))
        .claim_schema(generator))], & ["userId", "innerObject"],) } }
    }
    const _: fn() = || {
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot hold `{{{{user.id}}}}`, which is a JSON string",
            label = "expected a type that holds a JSON string, e.g. `String`",
            note = "type aliases are fine: the check goes through trait bounds"
        )]
        trait ClaimFits {}
        impl<T: ?Sized + __p::AcceptsString> ClaimFits for T {}
        fn assert_claim_fits<T: ?Sized + ClaimFits>() {}
        assert_claim_fits::<String>();
    };
    const _: fn() = || {
        #[allow(unused_imports)]
        use __p::SerializeProbeFallback as _;
        fn assert_field_type<T: __p::ClaimDeserialize>() {}
        assert_field_type::<String>();
        __p::check_serialize(
            (&__p::SerializeProbe::<String>(__p::core::marker::PhantomData))
                .serialize_check(),
        );
    };
    const _: fn() = || {
        fn assert_field_type<T: __p::ClerkObject>() {}
        assert_field_type::<Inner>();
    };
    #[automatically_derived]
    impl Outer {
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
