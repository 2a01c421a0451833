//! Raising the open-files soft limit, so that thousands of concurrent connections fit.

/// Raises this process's `RLIMIT_NOFILE` soft limit to its hard limit and returns the new soft
/// limit (`None` where there is no such limit, e.g. off Unix, or when it is unlimited).
///
/// The binary calls this at start; tests and embedders that open many connections may call it too.
/// The emulator uses epoll/kqueue through tokio, so descriptors above 1024 are fine.
pub fn raise_open_files_limit() -> std::io::Result<Option<u64>> {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Nofile);
        if let (Some(current), Some(maximum)) = (limit.current, limit.maximum)
            && current < maximum
        {
            setrlimit(
                Resource::Nofile,
                Rlimit {
                    current: Some(maximum),
                    maximum: Some(maximum),
                },
            )?;
        }
        Ok(getrlimit(Resource::Nofile).current)
    }
    #[cfg(not(unix))]
    {
        Ok(None)
    }
}
