// w3_generator: writes workload W3 (product.md: the catalogue, 1,000,000
// songs with realistic multi-word titles and performer names for search) as
// NDJSON plays that `spinlog import` loads, one play per song, so that the
// import creates every performer and song:
//   {"channel":"W3 Radio 7","performer":"Mara Lindqvist","title":"Golden Harbour Lights",
//    "start":"2020-01-01T00:06:00Z","end":"2020-01-01T00:09:41Z"}
//
// Defaults: 1,000,000 songs by 100,000 performers on 100 channels. Performer
// names are people ("Mara Lindqvist", "Jonas K. Berg"), bands ("The Velvet
// Ravens") and acts ("Nina Holm & the Night Owls"); titles follow a dozen
// templates over word lists ("Golden Harbour Lights", "Don't Wait for the
// Morning", "Song of the Northern Sea (Live)"), some words non-ASCII. A
// performer's song count is skewed: low performer numbers get many songs,
// most get few. Names are unique per performer and titles per performer
// (retried, then numbered), as the catalogue's natural keys require;
// titles repeat across performers, as real ones do.
//
// Song k plays on channel k % channels at slot k / channels: 6-minute slots
// from 2020-01-01T00:00:00Z, each play 2 to 6 minutes long.
//
// Determinism: std::mt19937_64 and the arithmetic below only; the same flags
// give the same bytes everywhere.
//
// Usage: w3_generator [--seed N] [--songs N] [--performers N] [--channels N] [--out FILE]
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "text/civil_time.h"

namespace spinlog::bench {
namespace {

struct Options {
  std::uint64_t seed = 3;
  std::int64_t songs = 1'000'000;
  std::int64_t performers = 100'000;
  std::int64_t channels = 100;
  std::string out;  // "" for stdout
};

using Words = std::vector<std::string_view>;

const Words kFirst = {
    "Mara", "Jonas", "Elin", "Oskar", "Sofia", "Liam", "Nina", "Hugo", "Alma", "Felix", "Ida",
    "Viktor", "Maja", "Emil", "Clara", "Lucas", "Ebba", "Noah", "Freja", "Axel", "Selma", "Leo",
    "Agnes", "Arvid", "Stella", "Isak", "Vera", "Theo", "Linnea", "Anton", "Saga", "Elias",
    "Ines", "Mateo", "Lucía", "Jamal", "Amara", "Kenji", "Yuki", "Priya", "Ravi", "Zoë", "Chloé",
    "André", "Björn", "Søren", "Aoife", "Siobhán", "Dmitri", "Olga", "Marta", "Paolo", "Giulia",
    "Hannah", "Samuel", "Grace", "Daniel", "Ruby", "Oliver", "Ava", "Jack", "Mia", "Henry",
    "Layla", "Omar", "Fatima", "Tariq", "Leila", "Carlos", "Ana", "Diego", "Rosa", "Pedro"};
const Words kLast = {
    "Lindqvist", "Berg", "Holm", "Nyström", "Ek", "Sandberg", "Forsberg", "Lund", "Åberg",
    "Wallin", "Strand", "Dahl", "Hedlund", "Sjöberg", "Blom", "Engström", "Moreau", "Laurent",
    "Dubois", "Rossi", "Bianchi", "García", "Martínez", "López", "Silva", "Costa", "Novak",
    "Kowalski", "Nowak", "Müller", "Schmidt", "Fischer", "Weber", "O'Brien", "Murphy", "Kelly",
    "Walsh", "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Hughes",
    "Tanaka", "Sato", "Suzuki", "Kim", "Park", "Chen", "Wang", "Li", "Nguyen", "Tran", "Patel",
    "Sharma", "Haddad", "Mansour", "Okafor", "Mensah", "Adeyemi", "Ivanova", "Petrov", "Horvat",
    "Jensen", "Hansen", "Nielsen", "Virtanen", "Korhonen"};
const Words kAdjectives = {
    "Golden", "Silver", "Velvet", "Electric", "Broken", "Wild", "Silent", "Lonely", "Burning",
    "Frozen", "Midnight", "Northern", "Southern", "Endless", "Hollow", "Crimson", "Blue", "Black",
    "White", "Scarlet", "Neon", "Distant", "Gentle", "Restless", "Sweet", "Bitter", "Hidden",
    "Secret", "Fading", "Rising", "Falling", "Dancing", "Sleeping", "Wandering", "Shining",
    "Faded", "Little", "Long", "Last", "First", "Summer", "Winter", "Autumn", "Spring", "Paper",
    "Glass", "Iron", "Crystal", "Cosmic", "Tender", "Savage", "Quiet", "Loud", "Lucky", "Strange",
    "Brave", "Sacred", "Perfect", "Empty", "Open", "Dreamy", "Lost", "Young", "Old", "Mighty"};
const Words kNouns = {
    "Harbour", "Heart", "River", "Ocean", "Sea", "Sky", "Star", "Moon", "Sun", "Fire", "Rain",
    "Storm", "Road", "Highway", "City", "Town", "Street", "Garden", "Forest", "Mountain", "Island",
    "Shore", "Light", "Shadow", "Dream", "Night", "Morning", "Evening", "Summer", "Winter", "Love",
    "Soul", "Ghost", "Angel", "Stranger", "Lover", "Friend", "Mirror", "Window", "Door", "Train",
    "Station", "Bridge", "Tower", "Castle", "Kingdom", "Empire", "Wave", "Tide", "Wind", "Thunder",
    "Flame", "Echo", "Whisper", "Secret", "Promise", "Memory", "Letter", "Song", "Melody",
    "Rhythm", "Dance", "Party", "Café", "Lumière", "Señorita", "Ångest", "Saudade", "Fjord",
    "Horizon", "Satellite", "Rocket", "Diamond", "Rose", "Lily", "Violet", "Raven", "Wolf",
    "Tiger", "Lion", "Owl", "Fox", "Hawk", "Dove", "Sparrow", "Butterfly", "Machine", "Radio"};
const Words kPlurals = {
    "Ravens", "Wolves", "Tigers", "Owls", "Foxes", "Hawks", "Doves", "Sparrows", "Lions",
    "Stars", "Shadows", "Dreamers", "Strangers", "Lovers", "Ghosts", "Angels", "Machines",
    "Satellites", "Rockets", "Diamonds", "Roses", "Lilies", "Waves", "Tides", "Echoes",
    "Whispers", "Kings", "Queens", "Knights", "Pilots", "Sailors", "Drifters", "Rebels",
    "Saints", "Sinners", "Twins", "Brothers", "Sisters", "Hearts", "Bells", "Flames", "Storms",
    "Rivers", "Islands", "Mountains", "Horizons", "Comets", "Planets", "Giants", "Pioneers"};
const Words kVerbs = {
    "Wait", "Run", "Dance", "Fall", "Stay", "Leave", "Come", "Go", "Hold", "Call", "Cry", "Fly",
    "Burn", "Shine", "Dream", "Sing", "Believe", "Remember", "Forget", "Breathe", "Walk", "Drive",
    "Follow", "Find", "Lose", "Love", "Touch", "Break", "Wake", "Sleep", "Turn", "Hide", "Say",
    "Know", "Feel", "Want", "Need", "Chase", "Carry", "Save"};
const Words kPronouns = {"Me", "You", "Us", "Her", "Him", "It", "Them"};
const Words kPrepositions = {"for", "with", "into", "under", "over", "through", "across",
                             "beyond", "from", "after", "before", "without"};
const Words kSuffixes = {" (Live)", " (Remastered)", " (Acoustic)", " (Radio Edit)",
                         " (Demo)", " - Extended Mix", " (feat. Mara Lindqvist)", " Pt. 2"};

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t Below(std::uint64_t n) { return engine_() % n; }
  // Uniform in [0, 1), from 53 random bits.
  double Unit() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
  std::string_view Pick(const Words& words) { return words[Below(words.size())]; }

  std::string Performer() {
    std::string name;
    const std::uint64_t form = Below(10);
    if (form < 4) {  // a person
      name.append(Pick(kFirst)).append(" ").append(Pick(kLast));
    } else if (form < 6) {  // a person with an initial
      name.append(Pick(kFirst)).append(" ");
      name.push_back(static_cast<char>('A' + Below(26)));
      name.append(". ").append(Pick(kLast));
    } else if (form < 8) {  // a band
      name.append("The ").append(Pick(kAdjectives)).append(" ").append(Pick(kPlurals));
    } else if (form < 9) {  // an act
      name.append(Pick(kFirst)).append(" ").append(Pick(kLast)).append(" & the ").append(Pick(kPlurals));
    } else {
      name.append(Pick(kAdjectives)).append(" ").append(Pick(kNouns));
    }
    return name;
  }

  std::string Title() {
    std::string t;
    switch (Below(12)) {
      case 0: t.append(Pick(kAdjectives)).append(" ").append(Pick(kNouns)); break;
      case 1: t.append("The ").append(Pick(kAdjectives)).append(" ").append(Pick(kNouns)); break;
      case 2:
        t.append(Pick(kAdjectives)).append(" ").append(Pick(kNouns)).append(" ").append(Pick(kPlurals));
        break;
      case 3: t.append(Pick(kNouns)).append(" of the ").append(Pick(kAdjectives)).append(" ").append(Pick(kNouns)); break;
      case 4: t.append("Don't ").append(Pick(kVerbs)).append(" ").append(Pick(kPrepositions)).append(" the ").append(Pick(kNouns)); break;
      case 5: t.append(Pick(kVerbs)).append(" ").append(Pick(kPronouns)).append(" ").append(Pick(kPrepositions)).append(" the ").append(Pick(kNouns)); break;
      case 6: t.append(Pick(kVerbs)).append(" ").append(Pick(kPronouns)); break;
      case 7: t.append("Song of the ").append(Pick(kAdjectives)).append(" ").append(Pick(kNouns)); break;
      case 8: t.append(Pick(kNouns)).append(" ").append(Pick(kPrepositions)).append(" ").append(Pick(kNouns)); break;
      case 9: t.append("I ").append(Pick(kVerbs)).append(" ").append(Pick(kPronouns)); break;
      case 10: t.append(Pick(kNouns)); break;
      default: t.append(Pick(kAdjectives)).append(" ").append(Pick(kPlurals)); break;
    }
    if (Below(12) == 0) t.append(Pick(kSuffixes));
    return t;
  }

 private:
  std::mt19937_64 engine_;
};

void AppendJsonString(std::string* out, std::string_view text) {
  out->push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendTime(std::string* out, std::int64_t seconds) {
  const std::int64_t day = seconds / 86'400;
  const std::int64_t second = seconds % 86'400;
  const text::CivilDate date = text::CivilFromDays(day);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", date.year % 10000,
                date.month % 100, date.day % 100, static_cast<int>(second / 3600) % 100,
                static_cast<int>(second / 60 % 60), static_cast<int>(second % 60));
  out->append(buffer);
}

}  // namespace

// Writes W3 for `options`; the exit status of the program.
int Run(const Options& options) {
  Generator random(options.seed);
  std::vector<std::string> performers;
  performers.reserve(static_cast<std::size_t>(options.performers));
  std::unordered_set<std::string> taken;
  for (std::int64_t i = 0; i < options.performers; ++i) {
    std::string name = random.Performer();
    for (int attempt = 0; attempt < 20 && taken.count(name) != 0; ++attempt) name = random.Performer();
    for (int n = 2; taken.count(name) != 0; ++n) name = random.Performer() + " " + std::to_string(n);
    taken.insert(name);
    performers.push_back(std::move(name));
  }
  std::FILE* out = options.out.empty() ? stdout : std::fopen(options.out.c_str(), "w");
  if (out == nullptr) {
    std::fprintf(stderr, "w3_generator: cannot write %s: %s\n", options.out.c_str(), std::strerror(errno));
    return 1;
  }
  // 2020-01-01 as seconds since 1970-01-01.
  constexpr std::int64_t kStart = 18'262LL * 86'400;
  constexpr std::int64_t kSlot = 6 * 60;
  std::unordered_set<std::string> songs;  // performer index + '\n' + title
  std::string line;
  for (std::int64_t k = 0; k < options.songs; ++k) {
    // Skewed: u^3 puts most songs on the first performers.
    const double u = random.Unit();
    const auto performer = static_cast<std::size_t>(static_cast<double>(options.performers) * u * u * u);
    std::string title = random.Title();
    const std::string prefix = std::to_string(performer) + "\n";
    for (int attempt = 0; attempt < 20 && songs.count(prefix + title) != 0; ++attempt) title = random.Title();
    for (int n = 2; songs.count(prefix + title) != 0; ++n) title = random.Title() + " " + std::to_string(n);
    songs.insert(prefix + title);
    const std::int64_t channel = 1 + k % options.channels;
    const std::int64_t start = kStart + (k / options.channels) * kSlot;
    const std::int64_t length = 120 + static_cast<std::int64_t>(random.Below(240));
    line.clear();
    line.append(R"({"channel":"W3 Radio )").append(std::to_string(channel)).append(R"(","performer":)");
    AppendJsonString(&line, performers[performer]);
    line.append(R"(,"title":)");
    AppendJsonString(&line, title);
    line.append(R"(,"start":")");
    AppendTime(&line, start);
    line.append(R"(","end":")");
    AppendTime(&line, start + length);
    line.append("\"}\n");
    if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
      std::fprintf(stderr, "w3_generator: write failed: %s\n", std::strerror(errno));
      return 1;
    }
  }
  if (out != stdout && std::fclose(out) != 0) {
    std::fprintf(stderr, "w3_generator: cannot close %s\n", options.out.c_str());
    return 1;
  }
  return 0;
}

// A positive whole number.
bool ParseFlag(std::string_view value, std::int64_t* out) {
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), *out);
  return error == std::errc() && end == value.data() + value.size() && *out > 0;
}

}  // namespace spinlog::bench

int main(int argc, char** argv) {
  using spinlog::bench::ParseFlag;
  spinlog::bench::Options options;
  const char* usage =
      "usage: w3_generator [--seed N] [--songs N] [--performers N] [--channels N] [--out FILE]\n";
  for (int i = 1; i < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s", usage);
      return 2;
    }
    const std::string_view value = argv[i + 1];
    if (flag == "--out") {
      options.out = std::string(value);
      continue;
    }
    std::int64_t number = 0;
    if (!ParseFlag(value, &number)) {
      std::fprintf(stderr, "w3_generator: bad value for %s: %s\n", argv[i], argv[i + 1]);
      return 2;
    }
    if (flag == "--seed") {
      options.seed = static_cast<std::uint64_t>(number);
    } else if (flag == "--songs") {
      options.songs = number;
    } else if (flag == "--performers") {
      options.performers = number;
    } else if (flag == "--channels") {
      options.channels = number;
    } else {
      std::fprintf(stderr, "%s", usage);
      return 2;
    }
  }
  return spinlog::bench::Run(options);
}
