#[doc(hidden)]
#[allow(unused_qualifications, unused_lifetimes)]
const _: () = {
    use ::clerk_claims::__private as __p;
    const _: fn() = || {
        #[allow(unused_imports)]
        use __p::KeyProbeFallback as _;
        #[diagnostic::on_unimplemented(
            message = "`Permission` needs #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)] beside #[derive(ClerkPermission)]",
            label = "a ClerkPermission enum is a `Copy + Eq + Hash + Debug` key",
            note = "add the missing derives: #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]"
        )]
        trait __KeyDerives {}
        impl __KeyDerives for __p::KeyDerived {}
        fn __assert_key_derives<__T: __KeyDerives>(_: __T) {}
        __assert_key_derives(
            (&__p::KeyProbe::<Permission>(__p::core::marker::PhantomData)).derives(),
        );
    };
    const __KEYS: &[&str] = &["org:invoices:read", "org:invoices:write"];
    #[automatically_derived]
    impl Permission {
        ///Every declared permission, in declaration order.
        pub const ALL: &'static [Self] = &[Self::InvoicesRead, Self::InvoicesWrite];
        ///The permission key as Clerk writes it, e.g. `org:invoices:read`.
        pub const fn key(self) -> &'static str {
            match self {
                Self::InvoicesRead => "org:invoices:read",
                Self::InvoicesWrite => "org:invoices:write",
            }
        }
        ///The value for a key read from a token, or `None` if the enum does not declare it.
        pub fn from_key(__key: &str) -> __p::Option<Self> {
            match __key {
                "org:invoices:read" => __p::Some(Self::InvoicesRead),
                "org:invoices:write" => __p::Some(Self::InvoicesWrite),
                _ => __p::None,
            }
        }
    }
    #[automatically_derived]
    impl __p::core::fmt::Display for Permission
    where
        for<'__a> Permission: __p::core::marker::Copy + __p::core::cmp::Eq
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
    impl __p::core::str::FromStr for Permission {
        type Err = __p::UnknownKey;
        fn from_str(__s: &str) -> __p::Result<Self, __p::UnknownKey> {
            __p::parse_key(__s, "permission", "Permission", __KEYS, Self::from_key)
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for Permission
    where
        for<'__a> Permission: __p::core::marker::Copy + __p::core::cmp::Eq
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
    impl<'__de> __p::serde::Deserialize<'__de> for Permission {
        fn deserialize<__D: __p::serde::Deserializer<'__de>>(
            __deserializer: __D,
        ) -> __p::Result<Self, __D::Error> {
            __p::deserialize_key(
                __deserializer,
                "permission",
                "Permission",
                __KEYS,
                Self::from_key,
            )
        }
    }
    #[automatically_derived]
    impl __p::AcceptsString for Permission {}
    #[automatically_derived]
    impl __p::DeclaredKeys for Permission {
        const KEYS: &'static [&'static str] = __KEYS;
        const PREFIX_WITH_ORG: bool = false;
    }
    __p::if_schemars! {
        #[automatically_derived] impl __p::schemars::JsonSchema for Permission { fn
        inline_schema() -> bool { true } fn schema_name() -> __p::std::borrow::Cow <
        'static, str > { __p::std::borrow::Cow::Borrowed("Permission") } fn json_schema(_
        : & mut __p::schemars::SchemaGenerator) -> __p::schemars::Schema {
        __p::key_schema(__KEYS, "A Clerk permission key declared by `Permission`") } }
    }
    #[automatically_derived]
    impl __p::ClerkPermission for Permission
    where
        for<'__a> Permission: __p::core::marker::Copy + __p::core::cmp::Eq
            + __p::core::hash::Hash + __p::core::fmt::Debug,
    {
        #[inline]
        fn name(self) -> &'static str {
            match self {
                Self::InvoicesRead => "Invoices read",
                Self::InvoicesWrite => "Invoices write",
            }
        }
        #[inline]
        fn description(self) -> __p::Option<&'static str> {
            match self {
                Self::InvoicesRead => __p::None,
                Self::InvoicesWrite => __p::None,
            }
        }
        const ALL: &'static [Self] = Permission::ALL;
        #[inline]
        fn key(self) -> &'static str {
            Permission::key(self)
        }
        #[inline]
        fn from_key(__key: &str) -> __p::Option<Self> {
            Permission::from_key(__key)
        }
        #[inline]
        fn index(self) -> u32 {
            match self {
                Self::InvoicesRead => 0u32,
                Self::InvoicesWrite => 1u32,
            }
        }
    }
    #[automatically_derived]
    impl __p::DerivedPermission for Permission {}
    #[automatically_derived]
    impl __p::PermissionVariants for Permission
    where
        for<'__a> Permission: __p::core::marker::Copy + __p::core::cmp::Eq
            + __p::core::hash::Hash + __p::core::fmt::Debug,
    {
        const VARIANTS: &'static [&'static str] = &["InvoicesRead", "InvoicesWrite"];
        const KEYS: &'static [&'static str] = __KEYS;
        const UNDECLARED: &'static str = "`grants(..)` names a variant `Permission` does not declare; `Permission` declares `InvoicesRead`, `InvoicesWrite`: fix the name, or declare the permission in `Permission` (a permission of another enum cannot be granted)";
    }
};
