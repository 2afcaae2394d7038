#[doc(hidden)]
#[allow(unused_qualifications, unused_lifetimes)]
const _: () = {
    use ::clerk_claims::__private as __p;
    static __CLAIMS: [__p::ClaimInfo; 6] = [
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
        for<'__de> ApiClaims: __p::serde::Deserialize<'__de>,
        for<'__a> ApiClaims: __p::serde::Serialize,
    {
        const TEMPLATE_NAME: __p::Option<&'static str> = __p::Some("api");
        const TEMPLATE_MARKER: bool = true;
        const EXACT_LIFETIME: __p::Option<u32> = __p::None;
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
                        ("jwt_template", __p::TemplateValue::Json("\"api\"")),
                    ],
                ),
            )
        }
        fn claim_info() -> &'static [__p::ClaimInfo] {
            &__CLAIMS
        }
        fn __check_grants(&self) {
            #[allow(unused_imports)]
            use __p::{GrantsCheck as _, GrantsFallback as _};
            (&__p::GrantsProbe(&self.role, &self.permissions)).__check_grants();
        }
    }
    #[automatically_derived]
    impl<'__de> __p::serde::Deserialize<'__de> for ApiClaims
    where
        Option<String>: __p::serde::Deserialize<'__de>,
        Option<Role>: __p::serde::Deserialize<'__de>,
        Permissions<Permission>: __p::serde::Deserialize<'__de>,
        String: __p::serde::Deserialize<'__de>,
        u32: __p::serde::Deserialize<'__de>,
    {
        fn deserialize<__D: __p::serde::Deserializer<'__de>>(
            __deserializer: __D,
        ) -> __p::Result<Self, __D::Error> {
            struct __Visitor;
            impl<'__de> __p::serde::de::Visitor<'__de> for __Visitor
            where
                Option<String>: __p::serde::Deserialize<'__de>,
                Option<Role>: __p::serde::Deserialize<'__de>,
                Permissions<Permission>: __p::serde::Deserialize<'__de>,
                String: __p::serde::Deserialize<'__de>,
                u32: __p::serde::Deserialize<'__de>,
            {
                type Value = ApiClaims;
                fn expecting(
                    &self,
                    __formatter: &mut __p::core::fmt::Formatter<'_>,
                ) -> __p::core::fmt::Result {
                    __p::expecting_claims(__formatter, "ApiClaims")
                }
                #[inline]
                fn visit_map<__A: __p::serde::de::MapAccess<'__de>>(
                    self,
                    mut __map: __A,
                ) -> __p::Result<ApiClaims, __A::Error> {
                    let mut __f0: __p::Option<Option<String>> = __p::None;
                    let mut __f1: __p::Option<Option<Role>> = __p::None;
                    let mut __f2: __p::Option<Permissions<Permission>> = __p::None;
                    let mut __f3: __p::Option<String> = __p::None;
                    let mut __f4: __p::Option<u32> = __p::None;
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
                            __p::Some(2) => {
                                __p::next_claim(
                                    &mut __map,
                                    &mut __f2,
                                    &__CLAIMS[2],
                                    __PLACE,
                                )?
                            }
                            __p::Some(3) => {
                                __p::next_claim(
                                    &mut __map,
                                    &mut __f3,
                                    &__CLAIMS[3],
                                    __PLACE,
                                )?
                            }
                            __p::Some(4) => {
                                __p::next_claim(
                                    &mut __map,
                                    &mut __f4,
                                    &__CLAIMS[4],
                                    __PLACE,
                                )?
                            }
                            _ => __p::skip_claim(&mut __map)?,
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
            __deserializer.deserialize_map(__Visitor)
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
        fn serialize<__S: __p::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> __p::Result<__S::Ok, __S::Error> {
            use __p::serde::ser::SerializeMap as _;
            let mut __map = __serializer.serialize_map(__p::Some(6))?;
            __map.serialize_entry("email", &self.email)?;
            __map.serialize_entry("role", &self.role)?;
            __map.serialize_entry("permissions", &self.permissions)?;
            __map.serialize_entry("display_name", &self.display_name)?;
            __map.serialize_entry("version", &self.version)?;
            __map.serialize_entry("jwt_template", "api")?;
            __map.end()
        }
    }
    __p::if_schemars! {
        #[automatically_derived] impl __p::schemars::JsonSchema for ApiClaims { fn
        schema_name() -> __p::std::borrow::Cow < 'static, str > {
        __p::std::borrow::Cow::Borrowed("ApiClaims") } fn json_schema(__generator : & mut
        __p::schemars::SchemaGenerator) -> __p::schemars::Schema { use __p:: {
        SchemaViaAny as _, SchemaViaJsonSchema as _ }; __p::object_schema("ApiClaims",
        __p::Some("The custom claims of the Clerk JWT template `api`."),
        __p::std::vec![("email", (& __p::SchemaProbe:: < Option < String > >
        (__p::core::marker::PhantomData)).claim_schema(__generator)), ("role", (&
        __p::SchemaProbe:: < Option < Role > > (__p::core::marker::PhantomData))
        .claim_schema(__generator)), ("permissions", (& __p::SchemaProbe:: < Permissions
        < Permission > > (__p::core::marker::PhantomData)).claim_schema(__generator)),
        ("display_name", (& __p::SchemaProbe:: < String >
        (__p::core::marker::PhantomData)).claim_schema(__generator)), ("version", (&
        __p::SchemaProbe:: < u32 > (__p::core::marker::PhantomData))
        .claim_schema(__generator)), ("jwt_template", __p::marker_schema("api")),], &
        ["email", "role", "permissions", "display_name", "version", "jwt_template",],) }
        }
    }
    const _: fn() = || {
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot hold `{{{{user.primary_email_address}}}}`, which is a JSON string, or null when the user has not set it",
            label = "expected a type that holds a JSON string or null, e.g. `Option<String>`",
            note = "or end the expression with a literal fallback so it is never null: `shortcode = \"user.primary_email_address || ''\"`"
        )]
        trait __ClaimFits {}
        impl<__T: ?Sized + __p::AcceptsNullableString> __ClaimFits for __T {}
        fn __assert_claim_fits<__T: ?Sized + __ClaimFits>() {}
        __assert_claim_fits::<Option<String>>();
    };
    const _: fn() = || {
        #[allow(unused_imports)]
        use __p::SerializeProbeFallback as _;
        fn __assert_field_type<__T: __p::ClaimDeserialize>() {}
        __assert_field_type::<Option<String>>();
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
        trait __ClaimFits {}
        impl<__T: ?Sized + __p::AcceptsNull> __ClaimFits for __T {}
        fn __assert_claim_fits<__T: ?Sized + __ClaimFits>() {}
        __assert_claim_fits::<Option<Role>>();
    };
    const _: fn() = || {
        fn __assert_field_type<__T: __p::RoleFieldType>() {}
        __assert_field_type::<Option<Role>>();
    };
    const _: fn() = || {
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot hold `{{{{org_membership.permissions}}}}`, which is an array of permission keys, or null when no organization is active",
            label = "expected a type that holds an array of permission keys or null, e.g. `Permissions<Permission>`",
            note = "or end the expression with a literal fallback so it is never null: `shortcode = \"org_membership.permissions || ''\"`"
        )]
        trait __ClaimFits {}
        impl<__T: ?Sized + __p::AcceptsNull> __ClaimFits for __T {}
        fn __assert_claim_fits<__T: ?Sized + __ClaimFits>() {}
        __assert_claim_fits::<Permissions<Permission>>();
    };
    const _: fn() = || {
        fn __assert_field_type<__T: __p::PermissionFieldType>() {}
        __assert_field_type::<Permissions<Permission>>();
    };
    const _: fn() = || {
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot hold the `format` claim `{{{{user.first_name}}}} {{{{user.last_name}}}}`, which is always a JSON string",
            label = "expected a string type, e.g. `String`",
            note = "Clerk interpolates every `{{{{…}}}}` into text (null prints as `null`)"
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
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot hold the static claim `1`, which is a JSON number",
            label = "expected a type that holds a JSON number, e.g. `i64`",
            note = "a `value` claim is copied into every token as written"
        )]
        trait __ClaimFits {}
        impl<__T: ?Sized + __p::AcceptsNumber> __ClaimFits for __T {}
        fn __assert_claim_fits<__T: ?Sized + __ClaimFits>() {}
        __assert_claim_fits::<u32>();
    };
    const _: fn() = || {
        #[allow(unused_imports)]
        use __p::SerializeProbeFallback as _;
        fn __assert_field_type<__T: __p::ClaimDeserialize>() {}
        __assert_field_type::<u32>();
        __p::check_serialize(
            (&__p::SerializeProbe::<u32>(__p::core::marker::PhantomData))
                .serialize_check(),
        );
    };
    #[automatically_derived]
    impl ApiClaims {
        /// Whether the token's role is the given one (`false` without an active organization).
        #[inline]
        pub fn has_role<__R>(&self, __role: __R) -> bool
        where
            __R: __p::ClerkRole,
            for<'__a> Option<Role>: __p::RoleField<Role = __R>,
        {
            __p::has_role(self, __role)
        }
        /// Whether the token's role is one of the given ones.
        #[inline]
        pub fn has_any_role<__R>(&self, __roles: &[__R]) -> bool
        where
            __R: __p::ClerkRole,
            for<'__a> Option<Role>: __p::RoleField<Role = __R>,
        {
            __p::has_any_role(self, __roles)
        }
        /// `Ok` when the token's role is the given one, else [`Forbidden`](__p::Forbidden).
        pub fn require_role<__R>(&self, __role: __R) -> __p::Result<(), __p::Forbidden>
        where
            __R: __p::ClerkRole,
            for<'__a> Option<Role>: __p::RoleField<Role = __R>,
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
            for<'__a> Option<Role>: __p::RoleField<Role = __R>,
        {
            __p::require_any_role(self, __roles)
        }
        /// Whether the given permission is granted.
        #[inline]
        pub fn has_permission<__P>(&self, __permission: __P) -> bool
        where
            __P: __p::ClerkPermission,
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
        {
            __p::has_permission(self, __permission)
        }
        /// Whether at least one of the given permissions is granted.
        #[inline]
        pub fn has_any_permission<__P>(&self, __permissions: &[__P]) -> bool
        where
            __P: __p::ClerkPermission,
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
        {
            __p::has_any_permission(self, __permissions)
        }
        /// Whether every one of the given permissions is granted.
        #[inline]
        pub fn has_all_permissions<__P>(&self, __permissions: &[__P]) -> bool
        where
            __P: __p::ClerkPermission,
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
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
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
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
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
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
            for<'__a> Permissions<Permission>: __p::PermissionField<Permission = __P>,
        {
            __p::require_all_permissions(self, __permissions)
        }
    }
    #[automatically_derived]
    impl<__R: __p::ClerkRole> __p::HasRole<__R> for ApiClaims
    where
        for<'__a> Option<Role>: __p::RoleField<Role = __R>,
    {
        #[inline]
        fn has_role(&self, __role: __R) -> bool {
            __p::field_has_role(&self.role, __role)
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
        fn has_permission(&self, __permission: __P) -> bool {
            __p::field_has_permission(&self.permissions, __permission)
        }
        fn permission_keys(&self) -> __p::std::vec::Vec<&str> {
            __p::field_permission_keys(&self.permissions)
        }
    }
};
