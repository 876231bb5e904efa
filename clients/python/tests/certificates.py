"""Throwaway certificates for the TLS tests, made with the ``openssl`` command in a temporary
directory (never committed): the same set as the Swift tests' ``TestCertificates``."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import uuid

_EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
_SERVER_EXT = "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"


def have_openssl() -> bool:
    return shutil.which("openssl") is not None


def _openssl(*args: str) -> str:
    done = subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {done.stderr}")
    return done.stdout


class Certificates:
    """A CA; server certificates for 127.0.0.1/localhost, for ``other.example`` and an expired one;
    a client certificate; and a stranger CA with its own client certificate."""

    def __init__(self, directory: pathlib.Path) -> None:
        self.dir = directory
        self._ca("ca", "Parley Test CA")
        self._ca("stranger-ca", "Stranger CA")
        self._issue("server", "ca", "localhost", _SERVER_EXT)
        self._issue("other", "ca", "other.example", "subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth\n")
        self._issue("client", "ca", "parley test client", "extendedKeyUsage=clientAuth\n")
        self._issue("stranger-client", "stranger-ca", "stranger", "extendedKeyUsage=clientAuth\n")
        self._expired("expired", "ca")

    def path(self, name: str) -> str:
        return str(self.dir / name)

    def renew_server(self) -> str:
        """A fresh server pair at the same paths; returns its serial."""
        self._issue("server", "ca", "localhost", _SERVER_EXT)
        return self.serial(self.path("server.pem"))

    @staticmethod
    def serial(pem_path: str) -> str:
        return _openssl("x509", "-in", pem_path, "-noout", "-serial").strip().replace("serial=", "")

    def _ca(self, name: str, subject: str) -> None:
        _openssl("req", "-x509", *_EC, "-keyout", self.path(f"{name}.key"), "-out", self.path(f"{name}.pem"),
                 "-days", "2", "-subj", f"/CN={subject}", "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def _issue(self, name: str, ca: str, subject: str, extensions: str) -> None:
        _openssl("req", *_EC, "-keyout", self.path(f"{name}.key"), "-out", self.path(f"{name}.csr"),
                 "-subj", f"/CN={subject}")
        (self.dir / f"{name}.ext").write_text(extensions)
        _openssl("x509", "-req", "-in", self.path(f"{name}.csr"), "-CA", self.path(f"{ca}.pem"),
                 "-CAkey", self.path(f"{ca}.key"), "-set_serial", "0x" + uuid.uuid4().hex[:16],
                 "-out", self.path(f"{name}.pem"), "-days", "2", "-extfile", self.path(f"{name}.ext"))

    def _expired(self, name: str, ca: str) -> None:
        """``openssl x509`` cannot back-date a certificate in OpenSSL 3.0; ``openssl ca`` can."""
        _openssl("req", *_EC, "-keyout", self.path(f"{name}.key"), "-out", self.path(f"{name}.csr"),
                 "-subj", "/CN=localhost")
        (self.dir / f"{name}.index").write_text("")
        (self.dir / f"{name}.serial").write_text("01\n")
        (self.dir / f"{name}.cnf").write_text(f"""[ca]
default_ca = test
[test]
database = {self.path(name + '.index')}
serial = {self.path(name + '.serial')}
new_certs_dir = {self.dir}
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = server
[any]
commonName = supplied
[server]
subjectAltName = IP:127.0.0.1,DNS:localhost
extendedKeyUsage = serverAuth
""")
        _openssl("ca", "-batch", "-config", self.path(f"{name}.cnf"), "-cert", self.path(f"{ca}.pem"),
                 "-keyfile", self.path(f"{ca}.key"), "-in", self.path(f"{name}.csr"), "-out", self.path(f"{name}.pem"),
                 "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-notext")
