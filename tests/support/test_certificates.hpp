// Certificates made at test time with the openssl command: a CA, server certificates it
// signed for 127.0.0.1, ::1 and localhost (two, with different serials, for reload tests), an
// expired one, and one for another name. Made once per test program and shared.
#pragma once

#include <string>

#include "support/temp_dir.hpp"

namespace chatroom::testing {

struct CertificateFiles {
  std::string certificate;
  std::string key;
  std::string serial;  // as openssl prints it, upper-case hex
};

class TestCertificates {
 public:
  // The shared set, made on first use; fails the test (throws) if openssl cannot make it.
  static const TestCertificates& get();

  [[nodiscard]] const std::string& ca() const { return ca_; }
  [[nodiscard]] const CertificateFiles& server() const { return server_; }
  [[nodiscard]] const CertificateFiles& renewed_server() const { return renewed_server_; }
  [[nodiscard]] const CertificateFiles& expired() const { return expired_; }
  [[nodiscard]] const CertificateFiles& other_name() const { return other_name_; }
  // A file that is not a certificate at all.
  [[nodiscard]] const std::string& garbage() const { return garbage_; }

 private:
  TestCertificates();
  CertificateFiles issue(const std::string& name, const std::string& subject_alt_names, int serial, int days);

  TempDir dir_;
  std::string ca_;
  std::string ca_key_;
  CertificateFiles server_;
  CertificateFiles renewed_server_;
  CertificateFiles expired_;
  CertificateFiles other_name_;
  std::string garbage_;
};

}  // namespace chatroom::testing
