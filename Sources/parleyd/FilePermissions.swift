#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files parleyd creates (the database, its WAL and shared-memory files, the port file) are
/// readable and writable by its own user only: the database holds key hashes and every
/// tenant's configuration.
func restrictNewFiles() {
    umask(0o077)
}
