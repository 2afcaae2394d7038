#[doc(hidden)]
#[allow(unused_qualifications, unused_lifetimes)]
const _: () = {
    use ::clerk_claims::__private as __p;
    const _: fn() = || {
        #[allow(unused_imports)]
        use __p::KeyProbeFallback as _;
        #[diagnostic::on_unimplemented(
            message = "`Role` needs #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)] beside #[derive(ClerkRole)]",
            label = "a ClerkRole enum is a `Copy + Eq + Hash + Debug` key",
            note = "add the missing derives: #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]"
        )]
        trait __KeyDerives {}
        impl __KeyDerives for __p::KeyDerived {}
        fn __assert_key_derives<__T: __KeyDerives>(_: __T) {}
        __assert_key_derives(
            (&__p::KeyProbe::<Role>(__p::core::marker::PhantomData)).derives(),
        );
    };
    const __KEYS: &[&str] = &["org:admin", "org:billing_manager"];
    #[automatically_derived]
    impl Role {
        ///Every declared role, in declaration order.
        pub const ALL: &'static [Self] = &[Self::Admin, Self::BillingManager];
        ///The role key as Clerk writes it, e.g. `org:admin`.
        pub const fn key(self) -> &'static str {
            match self {
                Self::Admin => "org:admin",
                Self::BillingManager => "org:billing_manager",
            }
        }
        ///The role for a key read from a token, or `None` if undeclared. Applies Clerk's `prefixWithOrg`: `admin` and `org:admin` are one role.
        pub fn from_key(__key: &str) -> __p::Option<Self> {
            match __p::role_name(__key) {
                "admin" => __p::Some(Self::Admin),
                "billing_manager" => __p::Some(Self::BillingManager),
                _ => __p::None,
            }
        }
    }
    #[automatically_derived]
    impl __p::core::fmt::Display for Role
    where
        for<'__a> Role: __p::core::marker::Copy + __p::core::cmp::Eq
            + __p::core::hash::Hash + __p::core::fmt::Debug,
    {
        fn fmt(
            &self,
            __formatter: &mut __p::core::fmt::Formatter<'_>,
        ) -> __p::core::fmt::Result {
            __formatter.write_str(Self::key(*self))
        }
    }
    #[automatically_derived]
    impl __p::core::str::FromStr for Role {
        type Err = __p::UnknownKey;
        fn from_str(__s: &str) -> __p::Result<Self, __p::UnknownKey> {
            __p::parse_key(__s, "role", "Role", __KEYS, Self::from_key)
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for Role
    where
        for<'__a> Role: __p::core::marker::Copy + __p::core::cmp::Eq
            + __p::core::hash::Hash + __p::core::fmt::Debug,
    {
        fn serialize<__S: __p::serde::Serializer>(
            &self,
            __serializer: __S,
        ) -> __p::Result<__S::Ok, __S::Error> {
            __serializer.serialize_str(Self::key(*self))
        }
    }
    #[automatically_derived]
    impl<'__de> __p::serde::Deserialize<'__de> for Role {
        fn deserialize<__D: __p::serde::Deserializer<'__de>>(
            __deserializer: __D,
        ) -> __p::Result<Self, __D::Error> {
            __p::deserialize_key(__deserializer, "role", "Role", __KEYS, Self::from_key)
        }
    }
    #[automatically_derived]
    impl __p::AcceptsString for Role {}
    #[automatically_derived]
    impl __p::DeclaredKeys for Role {
        const KEYS: &'static [&'static str] = __KEYS;
        const PREFIX_WITH_ORG: bool = true;
    }
    __p::if_schemars! {
        #[automatically_derived] impl __p::schemars::JsonSchema for Role { fn
        inline_schema() -> bool { true } fn schema_name() -> __p::std::borrow::Cow <
        'static, str > { __p::std::borrow::Cow::Borrowed("Role") } fn json_schema(_ : &
        mut __p::schemars::SchemaGenerator) -> __p::schemars::Schema {
        __p::key_schema(__KEYS, "A Clerk role key declared by `Role`") } }
    }
    #[automatically_derived]
    impl __p::ClerkRole for Role
    where
        for<'__a> Role: __p::core::marker::Copy + __p::core::cmp::Eq
            + __p::core::hash::Hash + __p::core::fmt::Debug,
    {
        #[inline]
        fn name(self) -> &'static str {
            match self {
                Self::Admin => "Admin",
                Self::BillingManager => "Billing manager",
            }
        }
        #[inline]
        fn description(self) -> __p::Option<&'static str> {
            match self {
                Self::Admin => __p::None,
                Self::BillingManager => __p::Some("Pays the bills"),
            }
        }
        const ALL: &'static [Self] = Role::ALL;
        #[inline]
        fn key(self) -> &'static str {
            Role::key(self)
        }
        #[inline]
        fn from_key(__key: &str) -> __p::Option<Self> {
            Role::from_key(__key)
        }
    }
    #[automatically_derived]
    impl __p::RoleFieldType for Role {}
    #[automatically_derived]
    impl __p::RoleField for Role
    where
        for<'__a> Role: __p::core::marker::Copy + __p::core::cmp::Eq
            + __p::core::hash::Hash + __p::core::fmt::Debug,
    {
        type Role = Self;
        #[inline]
        fn role(&self) -> __p::Option<Self> {
            __p::Some(*self)
        }
    }
    const _: () = __p::check_grant::<
        Permission,
    >(
        "InvoicesRead",
        "`InvoicesRead` is a system permission (`org:sys_*`): Clerk grants system permissions to roles itself, so code cannot; remove `InvoicesRead` from `grants(..)` of `Admin`",
    );
    const _: () = __p::check_grant::<
        Permission,
    >(
        "InvoicesWrite",
        "`InvoicesWrite` is a system permission (`org:sys_*`): Clerk grants system permissions to roles itself, so code cannot; remove `InvoicesWrite` from `grants(..)` of `Admin`",
    );
    #[automatically_derived]
    impl Role {
        /// The permissions this role grants in code (`grants(..)`), for the roles manifest
        /// and the run-time check of tokens.
        #[must_use]
        pub fn grants(self) -> __p::Permissions<Permission> {
            match self {
                Self::Admin => {
                    const __BITS: u128 = __p::grant_bits::<
                        Permission,
                    >(&["InvoicesRead", "InvoicesWrite"]);
                    __p::permissions_from_bits::<Permission>(__BITS)
                }
                Self::BillingManager => {
                    const __BITS: u128 = __p::grant_bits::<Permission>(&[]);
                    __p::permissions_from_bits::<Permission>(__BITS)
                }
            }
        }
    }
    #[automatically_derived]
    impl __p::RoleGrants for Role
    where
        for<'__a> Role: __p::core::marker::Copy + __p::core::cmp::Eq
            + __p::core::hash::Hash + __p::core::fmt::Debug,
    {
        type Permission = Permission;
        #[inline]
        fn grants(self) -> __p::Permissions<Permission> {
            Role::grants(self)
        }
    }
};
