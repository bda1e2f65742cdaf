//! Mianzheng domain and protocol. No I/O: clocks, randomness and signing are passed in.

pub mod api;
pub mod audit;
pub mod catalogue;
pub mod cert;
pub mod codes;
pub mod crypto;
pub mod error;
pub mod error_code;
pub mod flow;
pub mod ids;
pub mod reqsig;
#[cfg(feature = "ts")]
pub mod ts;
pub mod wire;

pub use error::{CoreError, Result};
pub use error_code::ErrorCode;

/// The OpenAPI schema of a string enum by its wire names. The enums made by this crate's
/// macros implement their schema with it: utoipa's derive cannot read a `serde(rename)` whose
/// name comes through a `macro_rules!` fragment, and listed the Rust variant names instead.
#[cfg(feature = "openapi")]
pub fn string_enum_schema(
    values: &[&'static str],
    description: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    let object = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .description(Some(description.trim()))
        .build();
    utoipa::openapi::RefOr::T(Schema::Object(object))
}

/// `ToSchema` for a string enum of this crate's macros (see [`string_enum_schema`]).
#[cfg(feature = "openapi")]
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum_openapi {
    ($name:ident, [$($w:literal),*], [$($doc:literal),*]) => {
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::string_enum_schema(&[$($w),*], concat!($($doc, "\n"),*))
            }
        }
        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}
