// udp: one datagram per frame to a stimulus program the lab already has (PsychoPy, Bonsai, MATLAB),
// carrying the task's commanded stimulus as one text line (stimulus_line.hpp, docs/stimulus.md): version 2
// by default, which also carries the decision (a closed-loop virtual microscope learns from it); `protocol`
// 1 sends the original six fields for a receiver that insists on them. UDP so
// that a slow or absent receiver can never hold up the loop: sendto() is non-blocking and a refusal
// (no one listening: ICMP port unreachable) is counted, logged once per outage, and the frame dropped.
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "apical/bridge/socket.hpp"
#include "apical/bridge/stimulus_output.hpp"

namespace apical::bridge {
namespace {

sockaddr_storage resolve(const SourceSettings& s, socklen_t& length) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(s.integer("port"));
  if (const int rc = getaddrinfo(s.text("host").c_str(), port.c_str(), &hints, &found); rc != 0)
    s.fail("host", "cannot resolve '" + s.text("host") + "': " + gai_strerror(rc));
  sockaddr_storage address{};
  std::memcpy(&address, found->ai_addr, found->ai_addrlen);
  length = found->ai_addrlen;
  freeaddrinfo(found);
  return address;
}

class UdpStimulus final : public StimulusOutput {
 public:
  UdpStimulus(const SourceSettings& s, EventLog log)
      : StimulusOutput(std::move(log)), host_(s.text("host")), port_(s.integer("port")),
        version_(static_cast<int>(s.integer("protocol"))) {
    address_ = resolve(s, length_);
    socket_ = Socket(::socket(address_.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!socket_.is_open()) s.fail("host", std::string("cannot open a UDP socket: ") + std::strerror(errno));
    // Connected, so that the kernel reports an absent receiver (ECONNREFUSED) on a later send.
    if (::connect(socket_.fd(), reinterpret_cast<const sockaddr*>(&address_), length_) != 0)
      s.fail("host", "cannot address " + describe() + ": " + std::strerror(errno));
  }

  void show(const StimulusCommand& command) override {
    const std::string line = stimulus_line(command, version_) + "\n";
    if (::send(socket_.fd(), line.data(), line.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(line.size())) {
      ++counters_.sent;
      if (failing_) log("STIMULUS " + describe() + " accepting again after " + std::to_string(outage_) + " lost commands");
      failing_ = false;
      outage_ = 0;
      return;
    }
    const int error = errno;
    ++counters_.failed;
    ++outage_;
    if (!failing_) log("STIMULUS NOT DELIVERED by " + describe() + ": " + std::strerror(error) + " (logged once per outage)");
    failing_ = true;
  }

  [[nodiscard]] std::string describe() const override {
    return "udp to " + host_ + ":" + std::to_string(port_) + " (APICAL-STIM/" + std::to_string(version_) + ")";
  }

 private:
  std::string host_;
  long long port_;
  int version_;
  sockaddr_storage address_{};
  socklen_t length_ = 0;
  Socket socket_;
  bool failing_ = false;
  std::uint64_t outage_ = 0;
};

}  // namespace

void register_udp(StimulusOutputRegistry& registry) {
  using Kind = SourceParameter::Kind;
  registry.add({"udp",
                "one text datagram per frame with the commanded grating angle or black (docs/stimulus.md), for a "
                "stimulus program of the lab's own",
                {{"host", Kind::text, "1", 0, 0, {}, "127.0.0.1", "host of the stimulus program"},
                 {"port", Kind::integer, "1", 1, 65535, {}, nullptr, "UDP port the stimulus program listens on"},
                 {"protocol", Kind::integer, "1", 1, stimulus_line_version, {}, stimulus_line_version,
                  "APICAL-STIM line version: 2 adds the decision (frame seq, events, decoder z, angle, error), 1 the "
                  "original six fields only"}}},
               [](const SourceSettings& s, StimulusOutput::EventLog log) -> std::unique_ptr<StimulusOutput> {
                 return std::make_unique<UdpStimulus>(s, std::move(log));
               });
}

}  // namespace apical::bridge
