// What a client may do before it has given the password.
#include "server/password_gate.hpp"

#include "protocol/command_line.hpp"
#include "protocol/wire_format.hpp"

namespace chatroom {
namespace {

constexpr std::string_view kHelpAtTheGate =
    "commands before the password: \\pass PASSWORD, \\help, \\close (the rest once you are in)";

}  // namespace

PasswordGate::PasswordGate(Reactor& reactor, const ServerPassword& password, LoginLimits limits)
    : reactor_(reactor), password_(password), throttle_(limits) {}

PasswordGate::~PasswordGate() {
  for (auto& [id, waiting] : waiting_) {
    if (waiting.closing_timer) reactor_.cancel_timer(*waiting.closing_timer);
  }
}

bool PasswordGate::admits_host(const std::string& host) {
  if (!throttle_.locked_out(host, reactor_.now())) return true;
  ++counters_.refused_locked_out;
  return false;
}

void PasswordGate::hold(Connection& connection) {
  waiting_.emplace(connection.id(), Waiting{&connection, std::nullopt});
  connection.deliver(notice_line(kPasswordNeededNotice));
}

PasswordGate::Verdict PasswordGate::on_line(Connection& connection, std::string_view line, const std::string& host) {
  const auto found = waiting_.find(connection.id());
  if (found == waiting_.end()) return Verdict::Admitted;
  Waiting& waiting = found->second;
  if (waiting.closing_timer) return Verdict::KeepWaiting;  // rejected: nothing more is read
  const std::optional<CommandLine> command = parse_command(line);
  switch (command ? client_command(command->name) : ClientCommand::Unknown) {
    case ClientCommand::Pass:
      if (password_.matches(command->argument)) {
        ++counters_.accepted;
        throttle_.record_success(host);
        waiting_.erase(found);
        connection.deliver(notice_line("password accepted"));
        return Verdict::Admitted;
      }
      reject(waiting, host);
      return Verdict::Rejected;
    case ClientCommand::Help:
      connection.deliver(notice_line(kHelpAtTheGate));
      return Verdict::KeepWaiting;
    case ClientCommand::Close:
      return Verdict::Leave;
    default:
      connection.deliver(error_line("password required: send \\pass PASSWORD first"));
      return Verdict::KeepWaiting;
  }
}

PasswordGate::Verdict PasswordGate::check(Connection& connection, std::string_view password, const std::string& host) {
  if (password_.matches(password)) {
    ++counters_.accepted;
    throttle_.record_success(host);
    waiting_.erase(connection.id());
    return Verdict::Admitted;
  }
  auto [waiting, _] = waiting_.try_emplace(connection.id(), Waiting{&connection, std::nullopt});
  if (!waiting->second.closing_timer) reject(waiting->second, host);
  return Verdict::Rejected;
}

void PasswordGate::reject(Waiting& waiting, const std::string& host) {
  ++counters_.wrong;
  throttle_.record_failure(host, reactor_.now());
  Connection* connection = waiting.connection;
  connection->deliver(connection->wording().error(*connection, "wrong password"));
  waiting.closing_timer = reactor_.run_after(throttle_.limits().failure_delay, [this, connection] {
    waiting_.at(connection->id()).closing_timer.reset();
    connection->flush();  // the answer, should a zero delay come before the turn's flush
    connection->close(CloseReason::WrongPassword);
  });
}

void PasswordGate::forget(const Connection& connection) {
  const auto found = waiting_.find(connection.id());
  if (found == waiting_.end()) return;
  if (found->second.closing_timer) reactor_.cancel_timer(*found->second.closing_timer);
  waiting_.erase(found);
}

}  // namespace chatroom
