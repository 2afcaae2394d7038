#[doc(hidden)]
#[allow(unused_qualifications, unused_lifetimes)]
const _: () = {
    use ::clerk_claims::__private as __p;
    static __CLAIMS: [__p::ClaimInfo; 5] = [
        __p::ClaimInfo {
            claim: "email",
            expression: "{{user.primary_email_address}}",
            nullable: true,
        },
        __p::ClaimInfo {
            claim: "role",
            expression: "{{org.role}}",
            nullable: true,
        },
        __p::ClaimInfo {
            claim: "permissions",
            expression: "{{org_membership.permissions}}",
            nullable: true,
        },
        __p::ClaimInfo {
            claim: "display_name",
            expression: "{{user.first_name}} {{user.last_name}}",
            nullable: false,
        },
        __p::ClaimInfo {
            claim: "version",
            expression: "1",
            nullable: false,
        },
    ];
    #[inline]
    fn __key(name: &str) -> __p::Option<usize> {
        match name {
            "email" => __p::Some(0),
            "role" => __p::Some(1),
            "permissions" => __p::Some(2),
            "display_name" => __p::Some(3),
            "version" => __p::Some(4),
            _ => __p::None,
        }
    }
    const __PLACE: __p::Place = __p::Place::Template("api");
    #[automatically_derived]
    impl __p::ClerkClaims for ApiClaims
    where
        for<'de> ApiClaims: __p::serde::Deserialize<'de>,
        for<'__a> ApiClaims: __p::serde::Serialize,
    {
        const TEMPLATE_NAME: __p::Option<&'static str> = __p::Some("api");
        fn jwt_template() -> __p::JwtTemplate {
            __p::jwt_template(
                "api",
                false,
                300u32,
                5u32,
                __p::None,
                __p::claims_object(
                    &[
                        (
                            "email",
                            __p::TemplateValue::Json(
                                "\"{{user.primary_email_address}}\"",
                            ),
                        ),
                        ("role", __p::TemplateValue::Json("\"{{org.role}}\"")),
                        (
                            "permissions",
                            __p::TemplateValue::Json(
                                "\"{{org_membership.permissions}}\"",
                            ),
                        ),
                        (
                            "display_name",
                            __p::TemplateValue::Json(
                                "\"{{user.first_name}} {{user.last_name}}\"",
                            ),
                        ),
                        ("version", __p::TemplateValue::Json("1")),
                    ],
                ),
            )
        }
        fn claim_info() -> &'static [__p::ClaimInfo] {
            &__CLAIMS
        }
    }
    #[automatically_derived]
    impl<'de> __p::serde::Deserialize<'de> for ApiClaims
    where
        Option<String>: __p::serde::Deserialize<'de>,
        Option<Role>: __p::serde::Deserialize<'de>,
        Permissions<Permission>: __p::serde::Deserialize<'de>,
        String: __p::serde::Deserialize<'de>,
        u32: __p::serde::Deserialize<'de>,
    {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            struct __Visitor;
            impl<'de> __p::serde::de::Visitor<'de> for __Visitor
            where
                Option<String>: __p::serde::Deserialize<'de>,
                Option<Role>: __p::serde::Deserialize<'de>,
                Permissions<Permission>: __p::serde::Deserialize<'de>,
                String: __p::serde::Deserialize<'de>,
                u32: __p::serde::Deserialize<'de>,
            {
                type Value = ApiClaims;
                fn expecting(
                    &self,
                    f: &mut __p::core::fmt::Formatter<'_>,
                ) -> __p::core::fmt::Result {
                    __p::expecting_claims(f, "ApiClaims")
                }
                #[inline]
                fn visit_map<A: __p::serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> __p::Result<ApiClaims, A::Error> {
                    let mut __f0: __p::Option<Option<String>> = __p::None;
                    let mut __f1: __p::Option<Option<Role>> = __p::None;
                    let mut __f2: __p::Option<Permissions<Permission>> = __p::None;
                    let mut __f3: __p::Option<String> = __p::None;
                    let mut __f4: __p::Option<u32> = __p::None;
                    while let __p::Some(key) = map.next_key_seed(__p::ClaimKeys(__key))?
                    {
                        match key {
                            __p::Some(0) => {
                                __p::next_claim(&mut map, &mut __f0, &__CLAIMS[0], __PLACE)?
                            }
                            __p::Some(1) => {
                                __p::next_claim(&mut map, &mut __f1, &__CLAIMS[1], __PLACE)?
                            }
                            __p::Some(2) => {
                                __p::next_claim(&mut map, &mut __f2, &__CLAIMS[2], __PLACE)?
                            }
                            __p::Some(3) => {
                                __p::next_claim(&mut map, &mut __f3, &__CLAIMS[3], __PLACE)?
                            }
                            __p::Some(4) => {
                                __p::next_claim(&mut map, &mut __f4, &__CLAIMS[4], __PLACE)?
                            }
                            _ => __p::skip_claim(&mut map)?,
                        }
                    }
                    __p::Ok(ApiClaims {
                        email: __p::take_claim(__f0, &__CLAIMS[0], __PLACE)?,
                        role: __p::take_claim(__f1, &__CLAIMS[1], __PLACE)?,
                        permissions: __p::take_claim(__f2, &__CLAIMS[2], __PLACE)?,
                        display_name: __p::take_claim(__f3, &__CLAIMS[3], __PLACE)?,
                        version: __p::take_claim(__f4, &__CLAIMS[4], __PLACE)?,
                        local: __p::Default::default(),
                    })
                }
            }
            deserializer.deserialize_map(__Visitor)
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for ApiClaims
    where
        for<'__a> Option<String>: __p::serde::Serialize,
        for<'__a> Option<Role>: __p::serde::Serialize,
        for<'__a> Permissions<Permission>: __p::serde::Serialize,
        for<'__a> String: __p::serde::Serialize,
        for<'__a> u32: __p::serde::Serialize,
    {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            use __p::serde::ser::SerializeMap as _;
            let mut map = serializer.serialize_map(__p::Some(5))?;
            map.serialize_entry("email", &self.email)?;
            map.serialize_entry("role", &self.role)?;
            map.serialize_entry("permissions", &self.permissions)?;
            map.serialize_entry("display_name", &self.display_name)?;
            map.serialize_entry("version", &self.version)?;
            map.end()
        }
    }
    __p::if_schemars! {
        #[automatically_derived] impl __p::schemars::JsonSchema for ApiClaims { fn
        schema_name() -> __p::std::borrow::Cow < 'static, str > {
        __p::std::borrow::Cow::Borrowed("ApiClaims") } fn json_schema(generator : & mut
        __p::schemars::SchemaGenerator) -> __p::schemars::Schema { use __p:: {
        SchemaViaAny as _, SchemaViaJsonSchema as _ }; __p::object_schema("ApiClaims",
        __p::Some("The custom claims of the Clerk JWT template `api`."),
        __p::std::vec![("email", (& __p::SchemaProbe:: < Option < String > >
        (__p::core::marker::PhantomData)).claim_schema(generator)), ("role", (&
        __p::SchemaProbe:: < Option < Role > > (__p::core::marker::PhantomData))
        .claim_schema(generator)), ("permissions", (& __p::SchemaProbe:: < Permissions <
        Permission > > (__p::core::marker::PhantomData)).claim_schema(generator)),
        ("display_name", (& __p::SchemaProbe:: < String >
        (__p::core::marker::PhantomData)).claim_schema(generator)), ("version", (&
        __p::SchemaProbe:: < u32 > (__p::core::marker::PhantomData))
        .claim_schema(generator))], & ["email", "role", "permissions", "display_name",
        "version"],) } }
    }
    const _: fn() = || {
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot hold `{{{{user.primary_email_address}}}}`, which is a JSON string, or null when the user has not set it",
            label = "expected a type that holds a JSON string or null, e.g. `Option<String>`",
            note = "or end the expression with a literal fallback so it is never null: `shortcode = \"user.primary_email_address || ''\"`"
        )]
        trait ClaimFits {}
        impl<T: ?Sized + __p::AcceptsNullableString> ClaimFits for T {}
        fn assert_claim_fits<T: ?Sized + ClaimFits>() {}
        assert_claim_fits::<Option<String>>();
    };
    const _: fn() = || {
        #[allow(unused_imports)]
        use __p::SerializeProbeFallback as _;
        fn assert_field_type<T: __p::ClaimDeserialize>() {}
        assert_field_type::<Option<String>>();
        __p::check_serialize(
            (&__p::SerializeProbe::<Option<String>>(__p::core::marker::PhantomData))
                .serialize_check(),
        );
    };
    const _: fn() = || {
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot hold `{{{{org.role}}}}`, which is a role key, or null when no organization is active",
            label = "expected a type that holds a role key or null, e.g. `Option<Option<Role>>`",
            note = "or end the expression with a literal fallback so it is never null: `shortcode = \"org.role || 'org:member'\"`"
        )]
        trait ClaimFits {}
        impl<T: ?Sized + __p::AcceptsNull> ClaimFits for T {}
        fn assert_claim_fits<T: ?Sized + ClaimFits>() {}
        assert_claim_fits::<Option<Role>>();
    };
    const _: fn() = || {
        fn assert_field_type<T: __p::RoleFieldType>() {}
        assert_field_type::<Option<Role>>();
    };
    const _: fn() = || {
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot hold `{{{{org_membership.permissions}}}}`, which is an array of permission keys, or null when no organization is active",
            label = "expected a type that holds an array of permission keys or null, e.g. `Permissions<Permission>`",
            note = "or end the expression with a literal fallback so it is never null: `shortcode = \"org_membership.permissions || ''\"`"
        )]
        trait ClaimFits {}
        impl<T: ?Sized + __p::AcceptsNull> ClaimFits for T {}
        fn assert_claim_fits<T: ?Sized + ClaimFits>() {}
        assert_claim_fits::<Permissions<Permission>>();
    };
    const _: fn() = || {
        fn assert_field_type<T: __p::PermissionFieldType>() {}
        assert_field_type::<Permissions<Permission>>();
    };
    const _: fn() = || {
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot hold the `format` claim `{{{{user.first_name}}}} {{{{user.last_name}}}}`, which is always a JSON string",
            label = "expected a string type, e.g. `String`",
            note = "Clerk interpolates every `{{{{…}}}}` into text (null prints as `null`)"
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
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot hold the static claim `1`, which is a JSON number",
            label = "expected a type that holds a JSON number, e.g. `i64`",
            note = "a `value` claim is copied into every token as written"
        )]
        trait ClaimFits {}
        impl<T: ?Sized + __p::AcceptsNumber> ClaimFits for T {}
        fn assert_claim_fits<T: ?Sized + ClaimFits>() {}
        assert_claim_fits::<u32>();
    };
    const _: fn() = || {
        #[allow(unused_imports)]
        use __p::SerializeProbeFallback as _;
        fn assert_field_type<T: __p::ClaimDeserialize>() {}
        assert_field_type::<u32>();
        __p::check_serialize(
            (&__p::SerializeProbe::<u32>(__p::core::marker::PhantomData))
                .serialize_check(),
        );
    };
    #[automatically_derived]
    impl ApiClaims {
        /// Whether the token's role is `role` (`false` without an active organization).
        #[inline]
        pub fn has_role<__R>(&self, role: __R) -> bool
        where
            __R: __p::ClerkRole,
            for<'__a> Option<Role>: __p::RoleField<Role = __R>,
        {
            __p::has_role(self, role)
        }
        /// Whether the token's role is one of `roles`.
        #[inline]
        pub fn has_any_role<__R>(&self, roles: &[__R]) -> bool
        where
            __R: __p::ClerkRole,
            for<'__a> Option<Role>: __p::RoleField<Role = __R>,
        {
            __p::has_any_role(self, roles)
        }
        /// `Ok` when the token's role is `role`, else [`Forbidden`](__p::Forbidden).
        pub fn require_role<__R>(&self, role: __R) -> __p::Result<(), __p::Forbidden>
        where
            __R: __p::ClerkRole,
            for<'__a> Option<Role>: __p::RoleField<Role = __R>,
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
            for<'__a> Option<Role>: __p::RoleField<Role = __R>,
        {
            __p::require_any_role(self, roles)
        }
        /// Whether `permission` is granted.
        #[inline]
        pub fn has_permission<__P>(&self, permission: __P) -> bool
        where
            __P: __p::ClerkPermission,
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
        {
            __p::has_permission(self, permission)
        }
        /// Whether at least one of `permissions` is granted.
        #[inline]
        pub fn has_any_permission<__P>(&self, permissions: &[__P]) -> bool
        where
            __P: __p::ClerkPermission,
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
        {
            __p::has_any_permission(self, permissions)
        }
        /// Whether every one of `permissions` is granted.
        #[inline]
        pub fn has_all_permissions<__P>(&self, permissions: &[__P]) -> bool
        where
            __P: __p::ClerkPermission,
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
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
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
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
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
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
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
        {
            __p::require_all_permissions(self, permissions)
        }
    }
    #[automatically_derived]
    impl<__R: __p::ClerkRole> __p::HasRole<__R> for ApiClaims
    where
        for<'__a> Option<Role>: __p::RoleField<Role = __R>,
    {
        #[inline]
        fn has_role(&self, role: __R) -> bool {
            __p::field_has_role(&self.role, role)
        }
        #[inline]
        fn role_key(&self) -> __p::Option<&str> {
            __p::field_role_key(&self.role)
        }
    }
    #[automatically_derived]
    impl<__P: __p::ClerkPermission> __p::HasPermission<__P> for ApiClaims
    where
        for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
    {
        #[inline]
        fn has_permission(&self, permission: __P) -> bool {
            __p::field_has_permission(&self.permissions, permission)
        }
        fn permission_keys(&self) -> __p::std::vec::Vec<&str> {
            __p::field_permission_keys(&self.permissions)
        }
    }
};
