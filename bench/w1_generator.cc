// w1_generator: writes workload W1 (docs/benchmarks.md, product.md) as NDJSON.
//
// One record per line, ordered by start then channel:
//   {"channel":"Channel1","performer":"Performer1","title":"Song1",
//    "start":"2015-01-01T00:00:00","end":"2015-01-01T00:10:31"}
//
// Defaults give W1: 10 channels, 30 songs by 10 performers (3 each, a few
// names non-ASCII or with spaces and '&'), 1,000,000 plays from
// 2015-01-01T00:00:00, every channel playing back to back without gaps or
// overlaps until just before 2017-01-01T00:00:00. Song k is the k-th most
// popular: plays follow a Zipf law with s = 1 over the song ranks.
//
// Determinism: the same flags give the same bytes on every machine. The
// engine is std::mt19937_64, whose output the standard fixes; the
// distributions are written out here because the std:: ones differ between
// library versions. Floating point is only used for the popularity CDF, with
// plain IEEE double operations (no -ffast-math here).
//
// Usage: w1_generator [--seed N] [--plays N] [--channels N] [--songs N]
//                     [--out FILE] [--list-songs]
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <queue>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/civil_time.h"

namespace spinlog::bench {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;
// 2015-01-01 and 2017-01-01 as days since 1970-01-01.
constexpr std::int64_t kFirstDay = 16'436;
constexpr std::int64_t kEndDay = 17'167;
constexpr std::int64_t kSpanSeconds = (kEndDay - kFirstDay) * kSecondsPerDay;
// The classic API refuses plays longer than a day.
constexpr std::int64_t kMaxPlaySeconds = kSecondsPerDay;

struct Options {
  std::uint64_t seed = 1;          // Default: 1
  std::int64_t plays = 1'000'000;  // Default: 1,000,000 plays in total
  std::int64_t channels = 10;      // Default: 10 channels
  std::int64_t songs = 30;         // Default: 30 songs, 3 per performer
  std::string out;                 // Default: "" (stdout)
  bool list_songs = false;         // Default: false
};

// --- Randomness, spelled out so that it is the same everywhere. ---

std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Uniform integer in [lo, hi] by rejection: no modulo bias.
// REQUIRES: lo <= hi.
std::int64_t UniformInt(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  const std::uint64_t range = static_cast<std::uint64_t>(hi - lo) + 1;
  if (range == 0) return static_cast<std::int64_t>(rng());  // the full 2^64
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % range);
  std::uint64_t x = rng();
  while (x >= limit) x = rng();
  return lo + static_cast<std::int64_t>(x % range);
}

// Uniform double in [0, 1) from the top 53 bits.
double UniformUnit(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
}

// --- Names. Non-ASCII letters are written as UTF-8 bytes, already NFC. ---

std::string PerformerName(std::int64_t p) {
  switch (p) {
    case 3:
      return "P\xC3\xAArformer3";  // Pêrformer3
    case 7:
      return "Perf\xC3\xB3rmer7";  // Perfórmer7
    case 9:
      return "\xD0\x98\xD1\x81\xD0\xBF\xD0\xBE\xD0\xBB\xD0\xBD\xD0\xB8"
             "\xD1\x82\xD0\xB5\xD0\xBB\xD1\x8C"
             "9";  // Исполнитель9
    default:
      return "Performer" + std::to_string(p);
  }
}

std::string SongTitle(std::int64_t s) {
  switch (s) {
    case 3:
      return "S\xC3\xB6ng3";  // Söng3
    case 13:
      return "S\xC3\xB3ng13";  // Sóng13
    case 17:
      return "Song 17 & More";
    case 23:
      return "Song23 \xE2\x99\xAA";  // Song23 ♪
    default:
      return "Song" + std::to_string(s);
  }
}

std::int64_t PerformerCount(const Options& o) { return (o.songs + 2) / 3; }
std::int64_t PerformerOfSong(const Options& o, std::int64_t s) {
  return (s - 1) % PerformerCount(o) + 1;
}

// Appends `s` as the inside of a JSON string.
void AppendJsonEscaped(std::string& out, std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
}

// --- The schedule. ---

struct Channel {
  std::vector<std::uint16_t> song;  // 0-based song index per play
  std::vector<std::int32_t> bound;  // play i is [bound[i], bound[i+1]) seconds from kFirstDay
};

// Fills one channel back to back over [0, kSpanSeconds - 1]: raw durations are
// the song's base duration +-60 s, then all boundaries are scaled so that the
// last play ends one second before 2017-01-01.
// Returns false when some play would be longer than a day or shorter than 1 s.
bool FillChannel(std::uint64_t seed, std::int64_t plays, const std::vector<double>& cdf,
                 const std::vector<std::int64_t>& base_seconds, Channel& ch) {
  std::mt19937_64 rng(seed);
  ch.song.resize(static_cast<std::size_t>(plays));
  std::vector<std::int64_t> cum(static_cast<std::size_t>(plays) + 1, 0);
  for (std::int64_t i = 0; i < plays; ++i) {
    const double u = UniformUnit(rng);
    const auto it = std::upper_bound(cdf.begin(), cdf.end(), u);
    const auto s =
        std::min<std::size_t>(static_cast<std::size_t>(it - cdf.begin()), cdf.size() - 1);
    ch.song[static_cast<std::size_t>(i)] = static_cast<std::uint16_t>(s);
    const std::int64_t raw = base_seconds[s] + UniformInt(rng, -60, 60);
    cum[static_cast<std::size_t>(i) + 1] = cum[static_cast<std::size_t>(i)] + raw;
  }
  const std::int64_t total = cum.back();
  const std::int64_t span = kSpanSeconds - 1;
  ch.bound.resize(cum.size());
  for (std::size_t i = 0; i < cum.size(); ++i) {
    // span < 2^26 and cum < 2^35 (at most 30M plays of <= 900 s): no overflow.
    ch.bound[i] = static_cast<std::int32_t>(span * cum[i] / total);
    if (i > 0) {
      const std::int64_t d = ch.bound[i] - ch.bound[i - 1];
      if (d < 1 || d > kMaxPlaySeconds) return false;
    }
  }
  return true;
}

// --- Output. ---

class Writer {
 public:
  explicit Writer(std::FILE* f) : f_(f) { buf_.reserve(kFlushAt + 512); }
  std::string& buf() { return buf_; }
  // Returns false on a write error.
  bool MaybeFlush(bool force) {
    if (buf_.size() < kFlushAt && !force) return true;
    const bool ok = std::fwrite(buf_.data(), 1, buf_.size(), f_) == buf_.size();
    buf_.clear();
    return ok;
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;
  std::FILE* f_;
  std::string buf_;
};

// "YYYY-MM-DD" for a day number (days since 1970-01-01), proleptic Gregorian.
std::string DateOf(std::int64_t z) {
  const text::CivilDate date = text::CivilFromDays(z);
  const int y = date.year, m = date.month, d = date.day;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

void AppendTwoDigits(std::string& out, std::int64_t v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}

// Appends "YYYY-MM-DDThh:mm:ss" for `sec` seconds after 2015-01-01T00:00:00.
void AppendTime(std::string& out, const std::vector<std::string>& dates, std::int64_t sec) {
  out += dates[static_cast<std::size_t>(sec / kSecondsPerDay)];
  const std::int64_t in_day = sec % kSecondsPerDay;
  out += 'T';
  AppendTwoDigits(out, in_day / 3600);
  out += ':';
  AppendTwoDigits(out, in_day / 60 % 60);
  out += ':';
  AppendTwoDigits(out, in_day % 60);
}

bool ParseInt(std::string_view s, std::int64_t& v) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// Returns false (after printing why) on a bad command line.
bool ParseFlags(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    const auto eq = arg.find('=');
    if (eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (arg != "--list-songs" && arg != "--help" && i + 1 < argc) {
      value = argv[++i];
    }
    std::int64_t n = 0;
    if (arg == "--help") {
      std::fprintf(stderr,
                   "usage: w1_generator [--seed N] [--plays N] [--channels N] [--songs N]\n"
                   "                    [--out FILE] [--list-songs]\n");
      return false;
    } else if (arg == "--list-songs") {
      o.list_songs = true;
    } else if (arg == "--out") {
      o.out = std::string(value);
    } else if (!ParseInt(value, n) || n < 0) {
      std::fprintf(stderr, "w1_generator: bad or missing value for %s\n", argv[i]);
      return false;
    } else if (arg == "--seed") {
      o.seed = static_cast<std::uint64_t>(n);
    } else if (arg == "--plays") {
      o.plays = n;
    } else if (arg == "--channels") {
      o.channels = n;
    } else if (arg == "--songs") {
      o.songs = n;
    } else {
      std::fprintf(stderr, "w1_generator: unknown flag %s (try --help)\n", argv[i]);
      return false;
    }
  }
  if (o.channels < 1 || o.channels > 100'000 || o.songs < 1 || o.songs > 65'535 ||
      o.plays < o.channels || o.plays > 1'000'000'000 || o.plays / o.channels > 30'000'000) {
    std::fprintf(stderr,
                 "w1_generator: need 1 <= channels <= 100000, 1 <= songs <= 65535, "
                 "channels <= plays <= 1e9, plays / channels <= 3e7\n");
    return false;
  }
  return true;
}

int Run(const Options& o) {
  if (o.list_songs) {
    for (std::int64_t s = 1; s <= o.songs; ++s) {
      std::printf("%s\t%s\n", PerformerName(PerformerOfSong(o, s)).c_str(), SongTitle(s).c_str());
    }
    return 0;
  }
  // The catalogue: a base duration per song (7..14 min) and the Zipf CDF.
  std::mt19937_64 catalogue_rng(SplitMix64(o.seed));
  std::vector<std::int64_t> base_seconds;
  std::vector<double> cdf;
  double weight_sum = 0;
  for (std::int64_t s = 1; s <= o.songs; ++s) {
    base_seconds.push_back(UniformInt(catalogue_rng, 420, 840));
    weight_sum += 1.0 / static_cast<double>(s);
  }
  double acc = 0;
  for (std::int64_t s = 1; s <= o.songs; ++s) {
    acc += 1.0 / static_cast<double>(s);
    cdf.push_back(acc / weight_sum);
  }

  std::vector<Channel> channels(static_cast<std::size_t>(o.channels));
  for (std::int64_t c = 0; c < o.channels; ++c) {
    const std::int64_t n = o.plays / o.channels + (c < o.plays % o.channels ? 1 : 0);
    const std::uint64_t seed = SplitMix64(o.seed ^ SplitMix64(static_cast<std::uint64_t>(c) + 1));
    if (!FillChannel(seed, n, cdf, base_seconds, channels[static_cast<std::size_t>(c)])) {
      std::fprintf(stderr,
                   "w1_generator: %lld plays per channel cannot fill two years with plays of "
                   "1 s to 24 h; use more plays (at least ~%lld) or fewer channels\n",
                   static_cast<long long>(n), static_cast<long long>(o.channels * 1200));
      return 2;
    }
  }

  // Fixed text per channel and per song, escaped once.
  std::vector<std::string> channel_prefix;
  for (std::int64_t c = 1; c <= o.channels; ++c) {
    std::string p = "{\"channel\":\"";
    AppendJsonEscaped(p, "Channel" + std::to_string(c));
    p += "\",\"performer\":\"";
    channel_prefix.push_back(std::move(p));
  }
  std::vector<std::string> song_middle;
  for (std::int64_t s = 1; s <= o.songs; ++s) {
    std::string m;
    AppendJsonEscaped(m, PerformerName(PerformerOfSong(o, s)));
    m += "\",\"title\":\"";
    AppendJsonEscaped(m, SongTitle(s));
    m += "\",\"start\":\"";
    song_middle.push_back(std::move(m));
  }
  std::vector<std::string> dates;
  for (std::int64_t d = kFirstDay; d <= kEndDay; ++d) dates.push_back(DateOf(d));

  std::FILE* f = o.out.empty() ? stdout : std::fopen(o.out.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "w1_generator: cannot open %s: %s\n", o.out.c_str(), std::strerror(errno));
    return 1;
  }
  Writer w(f);
  // Merge the channels by (start, channel index).
  using Item = std::pair<std::int32_t, std::size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  std::vector<std::size_t> next(channels.size(), 0);
  for (std::size_t c = 0; c < channels.size(); ++c) heap.emplace(channels[c].bound[0], c);
  bool ok = true;
  while (!heap.empty() && ok) {
    const std::size_t c = heap.top().second;
    heap.pop();
    const Channel& ch = channels[c];
    const std::size_t i = next[c]++;
    std::string& b = w.buf();
    b += channel_prefix[c];
    b += song_middle[ch.song[i]];
    AppendTime(b, dates, ch.bound[i]);
    b += "\",\"end\":\"";
    AppendTime(b, dates, ch.bound[i + 1]);
    b += "\"}\n";
    if (i + 1 < ch.song.size()) heap.emplace(ch.bound[i + 1], c);
    ok = w.MaybeFlush(false);
  }
  ok = ok && w.MaybeFlush(true);
  ok = (std::fflush(f) == 0) && ok;
  if (f != stdout) ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::fprintf(stderr, "w1_generator: write failed: %s\n", std::strerror(errno));
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace spinlog::bench

int main(int argc, char** argv) {
  spinlog::bench::Options options;
  if (!spinlog::bench::ParseFlags(argc, argv, options)) return 2;
  return spinlog::bench::Run(options);
}
