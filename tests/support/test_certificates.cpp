// Making test certificates with the openssl command line tool.
#include "support/test_certificates.hpp"

#include <sys/stat.h>

#include <fstream>
#include <stdexcept>
#include <vector>

#include "support/run_command.hpp"

namespace chatroom::testing {
namespace {

void must_run(std::vector<std::string> argv) {
  const CommandOutcome outcome = run_command(argv);
  if (outcome.exit_code != 0) {
    throw std::runtime_error("making test certificates failed: " + argv[0] + " " + argv[1] + ": " + outcome.output);
  }
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

}  // namespace

const TestCertificates& TestCertificates::get() {
  static const TestCertificates certificates;
  return certificates;
}

TestCertificates::TestCertificates() {
  ca_ = dir_.file("ca.pem");
  ca_key_ = dir_.file("ca.key");
  must_run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            ca_key_, "-out", ca_, "-days", "30", "-subj", "/CN=chatroom test CA"});
  const std::string loopback = "IP:127.0.0.1,IP:::1,DNS:localhost";
  server_ = issue("server", loopback, 0x1001, 30);
  renewed_server_ = issue("renewed", loopback, 0x2002, 30);
  expired_ = issue("expired", loopback, 0x3003, -1);  // valid until the moment before it was made
  other_name_ = issue("other", "DNS:chat.example.org", 0x4004, 30);
  garbage_ = dir_.file("garbage.pem");
  write_text(garbage_, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
}

CertificateFiles TestCertificates::issue(const std::string& name, const std::string& subject_alt_names, int serial,
                                         int days) {
  CertificateFiles files{dir_.file(name + ".pem"), dir_.file(name + ".key"), {}};
  const std::string request = dir_.file(name + ".csr");
  const std::string extensions = dir_.file(name + ".ext");
  write_text(extensions, "subjectAltName=" + subject_alt_names + "\n");
  must_run({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", files.key,
            "-out", request, "-subj", "/CN=" + name});
  must_run({"openssl", "x509", "-req", "-in", request, "-CA", ca_, "-CAkey", ca_key_, "-set_serial",
            std::to_string(serial), "-days", std::to_string(days), "-extfile", extensions, "-out", files.certificate});
  ::chmod(files.key.c_str(), 0600);
  char hex[16];
  std::snprintf(hex, sizeof(hex), "%X", static_cast<unsigned>(serial));
  files.serial = hex;
  return files;
}

}  // namespace chatroom::testing
