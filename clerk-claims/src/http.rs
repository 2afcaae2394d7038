//! HTTP pieces shared by the JWKS fetch and the Backend API client (feature `remote`).

/// Why a response body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The body is longer than the cap (by its `Content-Length`, or as it arrived).
    TooLarge {
        /// The cap.
        max: usize,
    },
    /// The connection failed while the body was read.
    Transport(reqwest::Error),
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge { max } => write!(f, "the response is larger than {max} bytes"),
            Self::Transport(e) => write!(f, "reading the response failed: {e}"),
        }
    }
}

/// The body of `response`, at most `max` bytes: a larger `Content-Length` is refused before
/// reading, and the chunks are counted as they arrive (a server may send more than it said),
/// so a broken or hostile endpoint cannot fill memory.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    max: usize,
) -> Result<Vec<u8>, BodyError> {
    if response
        .content_length()
        .is_some_and(|len| len > u64::try_from(max).unwrap_or(u64::MAX))
    {
        return Err(BodyError::TooLarge { max });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > max {
            return Err(BodyError::TooLarge { max });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
