#[doc(hidden)]
#[allow(unused_qualifications, unused_lifetimes)]
const _: () = {
    use my_reexport::clerk::__private as __p;
    const _: fn() = || {
        #[allow(unused_imports)]
        use __p::KeyProbeFallback as _;
        #[diagnostic::on_unimplemented(
            message = "`AppRole` needs #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)] beside #[derive(ClerkRole)]",
            label = "a ClerkRole enum is a `Copy + Eq + Hash + Debug` key",
            note = "add the missing derives: #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]"
        )]
        trait __KeyDerives {}
        impl __KeyDerives for __p::KeyDerived {}
        fn __assert_key_derives<__T: __KeyDerives>(_: __T) {}
        __assert_key_derives(
            (&__p::KeyProbe::<AppRole>(__p::core::marker::PhantomData)).derives(),
        );
    };
    const __KEYS: &[&str] = &["editor"];
    #[automatically_derived]
    impl AppRole {
        ///Every declared role, in declaration order.
        pub const ALL: &'static [Self] = &[Self::Editor];
        ///The role key as Clerk writes it, e.g. `editor`.
        pub const fn key(self) -> &'static str {
            match self {
                Self::Editor => "editor",
            }
        }
        ///The value for a key read from a token, or `None` if the enum does not declare it.
        pub fn from_key(__key: &str) -> __p::Option<Self> {
            match __key {
                "editor" => __p::Some(Self::Editor),
                _ => __p::None,
            }
        }
    }
    #[automatically_derived]
    impl __p::core::fmt::Display for AppRole
    where
        for<'__a> AppRole: __p::core::marker::Copy + __p::core::cmp::Eq
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
    impl __p::core::str::FromStr for AppRole {
        type Err = __p::UnknownKey;
        fn from_str(__s: &str) -> __p::Result<Self, __p::UnknownKey> {
            __p::parse_key(__s, "role", "AppRole", __KEYS, Self::from_key)
        }
    }
    #[automatically_derived]
    impl __p::serde::Serialize for AppRole
    where
        for<'__a> AppRole: __p::core::marker::Copy + __p::core::cmp::Eq
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
    impl<'__de> __p::serde::Deserialize<'__de> for AppRole {
        fn deserialize<__D: __p::serde::Deserializer<'__de>>(
            __deserializer: __D,
        ) -> __p::Result<Self, __D::Error> {
            __p::deserialize_key(
                __deserializer,
                "role",
                "AppRole",
                __KEYS,
                Self::from_key,
            )
        }
    }
    #[automatically_derived]
    impl __p::AcceptsString for AppRole {}
    #[automatically_derived]
    impl __p::DeclaredKeys for AppRole {
        const KEYS: &'static [&'static str] = __KEYS;
        const PREFIX_WITH_ORG: bool = false;
    }
    __p::if_schemars! {
        #[automatically_derived] impl __p::schemars::JsonSchema for AppRole { fn
        inline_schema() -> bool { true } fn schema_name() -> __p::std::borrow::Cow <
        'static, str > { __p::std::borrow::Cow::Borrowed("AppRole") } fn json_schema(_ :
        & mut __p::schemars::SchemaGenerator) -> __p::schemars::Schema {
        __p::key_schema(__KEYS, "A Clerk role key declared by `AppRole`") } }
    }
    #[automatically_derived]
    impl __p::ClerkRole for AppRole
    where
        for<'__a> AppRole: __p::core::marker::Copy + __p::core::cmp::Eq
            + __p::core::hash::Hash + __p::core::fmt::Debug,
    {
        #[inline]
        fn name(self) -> &'static str {
            match self {
                Self::Editor => "Editor",
            }
        }
        #[inline]
        fn description(self) -> __p::Option<&'static str> {
            match self {
                Self::Editor => __p::None,
            }
        }
        const ALL: &'static [Self] = AppRole::ALL;
        #[inline]
        fn key(self) -> &'static str {
            AppRole::key(self)
        }
        #[inline]
        fn from_key(__key: &str) -> __p::Option<Self> {
            AppRole::from_key(__key)
        }
    }
    #[automatically_derived]
    impl __p::RoleFieldType for AppRole {}
    #[automatically_derived]
    impl __p::RoleField for AppRole
    where
        for<'__a> AppRole: __p::core::marker::Copy + __p::core::cmp::Eq
            + __p::core::hash::Hash + __p::core::fmt::Debug,
    {
        type Role = Self;
        #[inline]
        fn role(&self) -> __p::Option<Self> {
            __p::Some(*self)
        }
    }
};
