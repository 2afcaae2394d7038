#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum E {
    #[clerk(key = "org:f0:read")]
    P0,
    #[clerk(key = "org:f1:read")]
    P1,
    #[clerk(key = "org:f2:read")]
    P2,
    #[clerk(key = "org:f3:read")]
    P3,
    #[clerk(key = "org:f4:read")]
    P4,
    #[clerk(key = "org:f5:read")]
    P5,
    #[clerk(key = "org:f6:read")]
    P6,
    #[clerk(key = "org:f7:read")]
    P7,
    #[clerk(key = "org:f8:read")]
    P8,
    #[clerk(key = "org:f9:read")]
    P9,
    #[clerk(key = "org:f10:read")]
    P10,
    #[clerk(key = "org:f11:read")]
    P11,
    #[clerk(key = "org:f12:read")]
    P12,
    #[clerk(key = "org:f13:read")]
    P13,
    #[clerk(key = "org:f14:read")]
    P14,
    #[clerk(key = "org:f15:read")]
    P15,
    #[clerk(key = "org:f16:read")]
    P16,
    #[clerk(key = "org:f17:read")]
    P17,
    #[clerk(key = "org:f18:read")]
    P18,
    #[clerk(key = "org:f19:read")]
    P19,
    #[clerk(key = "org:f20:read")]
    P20,
    #[clerk(key = "org:f21:read")]
    P21,
    #[clerk(key = "org:f22:read")]
    P22,
    #[clerk(key = "org:f23:read")]
    P23,
    #[clerk(key = "org:f24:read")]
    P24,
    #[clerk(key = "org:f25:read")]
    P25,
    #[clerk(key = "org:f26:read")]
    P26,
    #[clerk(key = "org:f27:read")]
    P27,
    #[clerk(key = "org:f28:read")]
    P28,
    #[clerk(key = "org:f29:read")]
    P29,
    #[clerk(key = "org:f30:read")]
    P30,
    #[clerk(key = "org:f31:read")]
    P31,
    #[clerk(key = "org:f32:read")]
    P32,
    #[clerk(key = "org:f33:read")]
    P33,
    #[clerk(key = "org:f34:read")]
    P34,
    #[clerk(key = "org:f35:read")]
    P35,
    #[clerk(key = "org:f36:read")]
    P36,
    #[clerk(key = "org:f37:read")]
    P37,
    #[clerk(key = "org:f38:read")]
    P38,
    #[clerk(key = "org:f39:read")]
    P39,
    #[clerk(key = "org:f40:read")]
    P40,
    #[clerk(key = "org:f41:read")]
    P41,
    #[clerk(key = "org:f42:read")]
    P42,
    #[clerk(key = "org:f43:read")]
    P43,
    #[clerk(key = "org:f44:read")]
    P44,
    #[clerk(key = "org:f45:read")]
    P45,
    #[clerk(key = "org:f46:read")]
    P46,
    #[clerk(key = "org:f47:read")]
    P47,
    #[clerk(key = "org:f48:read")]
    P48,
    #[clerk(key = "org:f49:read")]
    P49,
    #[clerk(key = "org:f50:read")]
    P50,
    #[clerk(key = "org:f51:read")]
    P51,
    #[clerk(key = "org:f52:read")]
    P52,
    #[clerk(key = "org:f53:read")]
    P53,
    #[clerk(key = "org:f54:read")]
    P54,
    #[clerk(key = "org:f55:read")]
    P55,
    #[clerk(key = "org:f56:read")]
    P56,
    #[clerk(key = "org:f57:read")]
    P57,
    #[clerk(key = "org:f58:read")]
    P58,
    #[clerk(key = "org:f59:read")]
    P59,
    #[clerk(key = "org:f60:read")]
    P60,
    #[clerk(key = "org:f61:read")]
    P61,
    #[clerk(key = "org:f62:read")]
    P62,
    #[clerk(key = "org:f63:read")]
    P63,
    #[clerk(key = "org:f64:read")]
    P64,
    #[clerk(key = "org:f65:read")]
    P65,
    #[clerk(key = "org:f66:read")]
    P66,
    #[clerk(key = "org:f67:read")]
    P67,
    #[clerk(key = "org:f68:read")]
    P68,
    #[clerk(key = "org:f69:read")]
    P69,
    #[clerk(key = "org:f70:read")]
    P70,
    #[clerk(key = "org:f71:read")]
    P71,
    #[clerk(key = "org:f72:read")]
    P72,
    #[clerk(key = "org:f73:read")]
    P73,
    #[clerk(key = "org:f74:read")]
    P74,
    #[clerk(key = "org:f75:read")]
    P75,
    #[clerk(key = "org:f76:read")]
    P76,
    #[clerk(key = "org:f77:read")]
    P77,
    #[clerk(key = "org:f78:read")]
    P78,
    #[clerk(key = "org:f79:read")]
    P79,
    #[clerk(key = "org:f80:read")]
    P80,
    #[clerk(key = "org:f81:read")]
    P81,
    #[clerk(key = "org:f82:read")]
    P82,
    #[clerk(key = "org:f83:read")]
    P83,
    #[clerk(key = "org:f84:read")]
    P84,
    #[clerk(key = "org:f85:read")]
    P85,
    #[clerk(key = "org:f86:read")]
    P86,
    #[clerk(key = "org:f87:read")]
    P87,
    #[clerk(key = "org:f88:read")]
    P88,
    #[clerk(key = "org:f89:read")]
    P89,
    #[clerk(key = "org:f90:read")]
    P90,
    #[clerk(key = "org:f91:read")]
    P91,
    #[clerk(key = "org:f92:read")]
    P92,
    #[clerk(key = "org:f93:read")]
    P93,
    #[clerk(key = "org:f94:read")]
    P94,
    #[clerk(key = "org:f95:read")]
    P95,
    #[clerk(key = "org:f96:read")]
    P96,
    #[clerk(key = "org:f97:read")]
    P97,
    #[clerk(key = "org:f98:read")]
    P98,
    #[clerk(key = "org:f99:read")]
    P99,
    #[clerk(key = "org:f100:read")]
    P100,
    #[clerk(key = "org:f101:read")]
    P101,
    #[clerk(key = "org:f102:read")]
    P102,
    #[clerk(key = "org:f103:read")]
    P103,
    #[clerk(key = "org:f104:read")]
    P104,
    #[clerk(key = "org:f105:read")]
    P105,
    #[clerk(key = "org:f106:read")]
    P106,
    #[clerk(key = "org:f107:read")]
    P107,
    #[clerk(key = "org:f108:read")]
    P108,
    #[clerk(key = "org:f109:read")]
    P109,
    #[clerk(key = "org:f110:read")]
    P110,
    #[clerk(key = "org:f111:read")]
    P111,
    #[clerk(key = "org:f112:read")]
    P112,
    #[clerk(key = "org:f113:read")]
    P113,
    #[clerk(key = "org:f114:read")]
    P114,
    #[clerk(key = "org:f115:read")]
    P115,
    #[clerk(key = "org:f116:read")]
    P116,
    #[clerk(key = "org:f117:read")]
    P117,
    #[clerk(key = "org:f118:read")]
    P118,
    #[clerk(key = "org:f119:read")]
    P119,
    #[clerk(key = "org:f120:read")]
    P120,
    #[clerk(key = "org:f121:read")]
    P121,
    #[clerk(key = "org:f122:read")]
    P122,
    #[clerk(key = "org:f123:read")]
    P123,
    #[clerk(key = "org:f124:read")]
    P124,
    #[clerk(key = "org:f125:read")]
    P125,
    #[clerk(key = "org:f126:read")]
    P126,
    #[clerk(key = "org:f127:read")]
    P127,
    #[clerk(key = "org:f128:read")]
    P128,
}

fn main() {}
