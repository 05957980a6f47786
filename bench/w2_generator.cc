// w2_generator: writes workload W2 (docs/benchmarks.md, product.md) as NDJSON.
//
// One record per line, ordered by start then channel number:
//   {"channel":"Radio 0001","performer":"The Velvet Harbor",
//    "title":"Midnight Rain Over Tokyo","start":"2024-03-01T00:00:00",
//    "end":"2024-03-01T00:02:53"}
//
// Defaults give W2: 2,000 channels "Radio 0001".."Radio 2000", each in one of
// 40 countries (50 channels each; --list-channels prints the mapping); 200,000
// songs by 50,000 performers with multi-word names built from the word lists
// below (3-4 % non-ASCII; performer names unique, titles unique per
// performer); 30 days from 2024-03-01T00:00:00 at 1,000,000 plays a day, i.e.
// 15,000 plays per channel, back to back from the first second to the last,
// never overlapping, 172.8 s long on average. Song popularity is Zipf with
// s = 1 over a song rank; popular performers tend to have the popular songs.
//
// Determinism: the same flags give the same bytes on every machine, as in
// w1_generator: std::mt19937_64 with the distributions written out here, and
// floating point only in plain IEEE double operations (no libm calls). The
// catalogue depends only on --seed, --songs and --performers.
//
// Speed: the output (4.3 GB by default) is written through a large buffer
// with every line assembled by memcpy from precomputed pieces; channels are
// merged through one bucket per second. Each channel is generated twice from
// the same seed: once to learn its total raw length, once to write it scaled.
//
// This file is UTF-8; the non-ASCII names below are NFC.
//
// Usage: w2_generator [--seed N] [--days N] [--channels N] [--songs N]
//                     [--performers N] [--plays-per-day N] [--out FILE|-]
//                     [--list-channels] [--list-songs]
#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "text/civil_time.h"

namespace spinlog::bench {
namespace {

using Rng = std::mt19937_64;

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::int64_t kFirstDay = 19'783;   // 2024-03-01 as days since 1970-01-01
constexpr std::int64_t kJitterSeconds = 10;  // each play +-10 s around its song's length

struct Options {
  std::uint64_t seed = 1;                  // Default: 1
  std::int64_t days = 30;                  // Default: 30 days from 2024-03-01
  std::int64_t channels = 2'000;           // Default: 2,000 channels
  std::int64_t songs = 200'000;            // Default: 200,000 songs
  std::int64_t performers = 50'000;        // Default: 50,000 performers
  std::int64_t plays_per_day = 1'000'000;  // Default: 1,000,000 plays a day over all channels
  std::string out = "-";                   // Default: "-" (stdout)
  bool list_channels = false;              // Default: false
  bool list_songs = false;                 // Default: false
};

// --- Randomness, spelled out so that it is the same everywhere. ---

std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A stream of its own for each part of the data, so that changing one part's
// size leaves the others as they were.
Rng StreamRng(std::uint64_t seed, std::uint64_t stream) {
  return Rng(SplitMix64(seed ^ SplitMix64(stream)));
}

// Uniform integer in [lo, hi] by rejection: no modulo bias.
// REQUIRES: lo <= hi.
std::int64_t UniformInt(Rng& rng, std::int64_t lo, std::int64_t hi) {
  const std::uint64_t range = static_cast<std::uint64_t>(hi - lo) + 1;
  if (range == 0) return static_cast<std::int64_t>(rng());  // the full 2^64
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % range);
  std::uint64_t x = rng();
  while (x >= limit) x = rng();
  return lo + static_cast<std::int64_t>(x % range);
}

// Uniform double in [0, 1) from the top 53 bits.
double UniformUnit(Rng& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
}

// --- Word lists. ---

constexpr std::string_view kFirstNames[] = {
    "Aaron",  "Abby",   "Adam",    "Adrian", "Aiden",    "Alex",    "Alice",   "Amber",  "Amelia",
    "Amy",    "Andrea", "Andy",    "Angela", "Anna",     "Annie",   "Archie",  "Ava",    "Ben",
    "Bella",  "Beth",   "Billy",   "Bobby",  "Brandon",  "Brian",   "Brooke",  "Caleb",  "Carla",
    "Carlos", "Carly",  "Carmen",  "Casey",  "Charlie",  "Chloe",   "Chris",   "Claire", "Cody",
    "Colin",  "Connor", "Daisy",   "Dan",    "Danny",    "Dave",    "Dean",    "Diana",  "Dylan",
    "Eddie",  "Eli",    "Ella",    "Ellie",  "Emily",    "Emma",    "Eric",    "Erin",   "Ethan",
    "Eva",    "Evan",   "Felix",   "Finn",   "Frank",    "Freddie", "Gabriel", "Gemma",  "George",
    "Grace",  "Hannah", "Harry",   "Hazel",  "Henry",    "Holly",   "Ian",     "Isaac",  "Isla",
    "Ivy",    "Jack",   "Jade",    "Jake",   "James",    "Jamie",   "Jane",    "Jason",  "Jay",
    "Jenna",  "Jess",   "Jimmy",   "Joe",    "Joel",     "Johnny",  "Jordan",  "Josh",   "Julia",
    "Kate",   "Katie",  "Kayla",   "Kevin",  "Kim",      "Kyle",    "Laura",   "Leah",   "Leo",
    "Liam",   "Lily",   "Lisa",    "Logan",  "Lola",     "Lucas",   "Lucy",    "Luke",   "Luna",
    "Maddie", "Maggie", "Marcus",  "Maria",  "Mark",     "Marty",   "Max",     "Maya",   "Megan",
    "Mia",    "Mike",   "Mila",    "Molly",  "Nate",     "Nick",    "Nina",    "Noah",   "Nora",
    "Olive",  "Oliver", "Oscar",   "Owen",   "Paige",    "Paul",    "Penny",   "Pete",   "Phoebe",
    "Rachel", "Ray",    "Rebecca", "Rico",   "Riley",    "Rob",     "Rosa",    "Rose",   "Ruby",
    "Ryan",   "Sadie",  "Sam",     "Sara",   "Scarlett", "Sean",    "Sophie",  "Stella", "Steve",
    "Sue",    "Tara",   "Ted",     "Tess",   "Theo",     "Tina",    "Toby",    "Tom",    "Tommy",
    "Tony",   "Tyler",  "Vera",    "Vince",  "Violet",   "Wes",     "Will",    "Willow", "Zack",
    "Zara",   "Zoe"};

constexpr std::string_view kLastNames[] = {
    "Adams",   "Allen",   "Archer",  "Bailey",   "Baker",  "Banks",    "Barnes",  "Bell",
    "Bennett", "Black",   "Blake",   "Bond",     "Booth",  "Boyd",     "Bradley", "Brooks",
    "Brown",   "Bryant",  "Burke",   "Burns",    "Butler", "Campbell", "Carter",  "Chase",
    "Clark",   "Cole",    "Collins", "Cooper",   "Cox",    "Crane",    "Cross",   "Cruz",
    "Cullen",  "Dale",    "Davis",   "Dawson",   "Day",    "Dean",     "Diaz",    "Dixon",
    "Doyle",   "Drake",   "Duncan",  "Dunn",     "Easton", "Ellis",    "Evans",   "Fisher",
    "Fleming", "Flores",  "Ford",    "Foster",   "Fox",    "Fuller",   "Garner",  "Gibson",
    "Gordon",  "Graham",  "Grant",   "Gray",     "Green",  "Griffin",  "Hale",    "Hall",
    "Hardy",   "Harper",  "Harris",  "Hart",     "Hayes",  "Hill",     "Holmes",  "Hood",
    "Hope",    "Howard",  "Hughes",  "Hunt",     "Hunter", "Jackson",  "James",   "Jensen",
    "Jones",   "Jordan",  "Kane",    "Keller",   "Kelly",  "Kennedy",  "Kent",    "King",
    "Knight",  "Lake",    "Lane",    "Lawson",   "Lee",    "Lewis",    "Lloyd",   "Logan",
    "Long",    "Lowe",    "Lynch",   "Mack",     "Marsh",  "Martin",   "Mason",   "Miles",
    "Miller",  "Mills",   "Monroe",  "Moore",    "Morgan", "Morris",   "Murphy",  "Nash",
    "Nelson",  "Newman",  "Nolan",   "North",    "Oakley", "Owens",    "Palmer",  "Parker",
    "Payne",   "Pearce",  "Perry",   "Phillips", "Pike",   "Porter",   "Powell",  "Price",
    "Quinn",   "Reed",    "Reyes",   "Rhodes",   "Rivers", "Roberts",  "Rogers",  "Rose",
    "Ross",    "Russell", "Ryan",    "Sanders",  "Santos", "Shaw",     "Silva",   "Simmons",
    "Slater",  "Snow",    "Spencer", "Stark",    "Stone",  "Summers",  "Sutton",  "Swift",
    "Taylor",  "Thorne",  "Turner",  "Vance",    "Vaughn", "Wade",     "Walker",  "Wallace",
    "Ward",    "Warren",  "Watts",   "Webb",     "Wells",  "West",     "White",   "Wilde",
    "Wilson",  "Winter",  "Wolfe",   "Wood",     "Wright", "Young"};

constexpr std::string_view kAdjectives[] = {
    "Amber",     "Ancient",   "Analog",   "Arctic",     "Atomic",   "Big",        "Bitter",
    "Black",     "Blue",      "Bold",     "Borrowed",   "Brave",    "Bright",     "Broken",
    "Burning",   "Cold",      "Copper",   "Cosmic",     "Crimson",  "Crystal",    "Dangerous",
    "Dark",      "Digital",   "Distant",  "Dizzy",      "Drifting", "Dusty",      "Eastern",
    "Electric",  "Empty",     "Endless",  "Eternal",    "Faded",    "Falling",    "Final",
    "Flying",    "Free",      "Frozen",   "Gentle",     "Giant",    "Glass",      "Glowing",
    "Golden",    "Green",     "Happy",    "Heavy",      "Hidden",   "Hollow",     "Howling",
    "Hungry",    "Indigo",    "Infinite", "Invisible",  "Iron",     "Lazy",       "Little",
    "Lonely",    "Lost",      "Loud",     "Lucky",      "Lunar",    "Magic",      "Midnight",
    "Modern",    "Mystic",    "Neon",     "Northern",   "Painted",  "Pale",       "Paper",
    "Perfect",   "Purple",    "Quiet",    "Radiant",    "Rebel",    "Red",        "Restless",
    "Rising",    "Royal",     "Rusty",    "Sacred",     "Savage",   "Scarlet",    "Secret",
    "Shattered", "Shining",   "Silent",   "Silver",     "Sleepy",   "Soft",       "Solar",
    "Southern",  "Static",    "Stolen",   "Strange",    "Sunken",   "Supersonic", "Sweet",
    "Tender",    "Tiny",      "Tropical", "True",       "Twisted",  "Urban",      "Velvet",
    "Violet",    "Wandering", "Warm",     "Weightless", "Western",  "Whispering", "White",
    "Wild",      "Wooden",    "Young"};

constexpr std::string_view kNouns[] = {
    "Anchor",     "Angel",     "Anthem",     "Autumn",    "Avalanche", "Avenue",   "Ballad",
    "Beat",       "Boulevard", "Bridge",     "Butterfly", "Canyon",    "Carnival", "Cassette",
    "Castle",     "Chance",    "Cherry",     "Circus",    "City",      "Coast",    "Comet",
    "Compass",    "Daydream",  "Daylight",   "Desert",    "Destiny",   "Diamond",  "Diner",
    "Dragon",     "Dream",     "Echo",       "Eclipse",   "Ember",     "Empire",   "Engine",
    "Fire",       "Firefly",   "Flame",      "Forest",    "Fortune",   "Freedom",  "Galaxy",
    "Garden",     "Ghost",     "Gravity",    "Groove",    "Guitar",    "Harbor",   "Harvest",
    "Heart",      "Heartbeat", "Heatwave",   "Heaven",    "Highway",   "Honey",    "Horizon",
    "Hotel",      "Hurricane", "Illusion",   "Island",    "Jukebox",   "Kingdom",  "Lantern",
    "Lighthouse", "Lightning", "Lullaby",    "Machine",   "Meadow",    "Melody",   "Memory",
    "Miracle",    "Mirror",    "Moon",       "Moonlight", "Morning",   "Mountain", "Mystery",
    "Nation",     "Night",     "Ocean",      "Orbit",     "Orchid",    "Paradise", "Paradox",
    "Parade",     "Pearl",     "Phoenix",    "Piano",     "Planet",    "Promise",  "Radio",
    "Rain",       "Raven",     "Revolution", "Rhythm",    "River",     "Road",     "Rocket",
    "Rose",       "Satellite", "Serenade",   "Shadow",    "Shore",     "Signal",   "Silence",
    "Sky",        "Skyline",   "Smoke",      "Snow",      "Spark",     "Spirit",   "Starlight",
    "Station",    "Storm",     "Stranger",   "Summer",    "Sunrise",   "Sunset",   "Sunshine",
    "Symphony",   "Thunder",   "Tide",       "Tiger",     "Tower",     "Train",    "Twilight",
    "Valley",     "Velvet",    "Volcano",    "Wave",      "Whisper",   "Wildfire", "Window",
    "Winter",     "Wolf",      "Wonder"};

constexpr std::string_view kPlurals[] = {
    "Anchors",     "Angels",     "Bandits",   "Bees",      "Bells",      "Birds",    "Brothers",
    "Butterflies", "Cowboys",    "Crows",     "Daughters", "Days",       "Diamonds", "Dolphins",
    "Dragons",     "Dreamers",   "Dreams",    "Drifters",  "Drums",      "Eagles",   "Echoes",
    "Embers",      "Engines",    "Fireflies", "Flames",    "Foxes",      "Ghosts",   "Giants",
    "Guitars",     "Heartbeats", "Hearts",    "Hornets",   "Horses",     "Kids",     "Kings",
    "Knights",     "Lanterns",   "Liars",     "Lights",    "Lions",      "Lovers",   "Machines",
    "Memories",    "Mirrors",    "Monks",     "Moons",     "Neighbors",  "Nights",   "Outlaws",
    "Owls",        "Pilots",     "Pirates",   "Planets",   "Poets",      "Prophets", "Queens",
    "Radios",      "Ramblers",   "Ravens",    "Rebels",    "Rivers",     "Robots",   "Rockets",
    "Roses",       "Runners",    "Sailors",   "Saints",    "Satellites", "Secrets",  "Shadows",
    "Sharks",      "Signals",    "Sinners",   "Sisters",   "Skies",      "Sons",     "Sparks",
    "Sparrows",    "Stars",      "Storms",    "Strangers", "Streets",    "Tears",    "Thieves",
    "Tides",       "Tigers",     "Towers",    "Travelers", "Twins",      "Vikings",  "Wanderers",
    "Waves",       "Whales",     "Wolves",    "Years"};

constexpr std::string_view kPlaces[] = {
    "Amsterdam", "Athens",       "Atlanta",     "Austin",        "Avalon",      "Babylon",
    "Bangkok",   "Barcelona",    "Berlin",      "Bombay",        "Boston",      "Brooklyn",
    "Budapest",  "Buenos Aires", "Cairo",       "California",    "Carolina",    "Casablanca",
    "Chicago",   "Copenhagen",   "Dallas",      "Denver",        "Detroit",     "Dublin",
    "Eden",      "Georgia",      "Glasgow",     "Havana",        "Helsinki",    "Hollywood",
    "Hong Kong", "Istanbul",     "Jupiter",     "Kentucky",      "Kyoto",       "Lagos",
    "Las Vegas", "Lisbon",       "Liverpool",   "London",        "Los Angeles", "Madrid",
    "Malibu",    "Manchester",   "Manhattan",   "Marrakech",     "Mars",        "Memphis",
    "Miami",     "Monaco",       "Montana",     "Montreal",      "Moscow",      "Naples",
    "Nashville", "Neptune",      "New Orleans", "Oslo",          "Paris",       "Prague",
    "Reykjavik", "Rio",          "Rome",        "San Francisco", "Santiago",    "Saturn",
    "Seattle",   "Seoul",        "Shanghai",    "Singapore",     "Stockholm",   "Sydney",
    "Tennessee", "Texas",        "Tokyo",       "Toronto",       "Vancouver",   "Venice",
    "Venus",     "Vienna",       "Warsaw"};

constexpr std::string_view kTimes[] = {
    "April",   "August", "Autumn", "Daybreak",   "December", "Early Morning", "Evening", "Friday",
    "Holiday", "July",   "June",   "Late Night", "Midnight", "Morning",       "October", "Saturday",
    "Spring",  "Summer", "Sunday", "Sunset",     "Twilight", "Weekend",       "Winter"};

constexpr std::string_view kSkyThings[] = {
    "Bells", "Blues", "Clouds", "Dance",     "Dreams",  "Drive", "Fire", "Fireworks", "Flight",
    "Fog",   "Kiss",  "Lights", "Lightning", "Mist",    "Moon",  "Rain", "Sirens",    "Skies",
    "Snow",  "Stars", "Storm",  "Sun",       "Thunder", "Train", "Wind"};

constexpr std::string_view kAcross[] = {"Above", "Across",  "Beyond", "From",    "In",
                                        "Near",  "Outside", "Over",   "Through", "Under"};

constexpr std::string_view kGerunds[] = {
    "Breathing", "Burning",    "Chasing",   "Climbing",  "Coming Home",  "Crying",
    "Dancing",   "Drifting",   "Driving",   "Drowning",  "Dreaming",     "Falling",
    "Fighting",  "Floating",   "Flying",    "Hiding",    "Holding On",   "Kissing",
    "Laughing",  "Letting Go", "Living",    "Praying",   "Reaching Out", "Riding",
    "Rolling",   "Running",    "Sailing",   "Screaming", "Searching",    "Shining",
    "Singing",   "Sleeping",   "Spinning",  "Standing",  "Swimming",     "Waiting",
    "Waking Up", "Walking",    "Wandering", "Whispering"};

constexpr std::string_view kPrepositions[] = {"Above",  "Across",  "After",  "Against", "Along",
                                              "Around", "Before",  "Behind", "Beneath", "Beyond",
                                              "In",     "Inside",  "Into",   "On",      "Outside",
                                              "Over",   "Through", "Toward", "Under",   "With"};

constexpr std::string_view kVerbs[] = {"Bring",  "Call",  "Carry", "Catch", "Drive", "Find",
                                       "Follow", "Give",  "Hold",  "Kiss",  "Lead",  "Leave",
                                       "Let",    "Love",  "Meet",  "Save",  "Send",  "Show",
                                       "Take",   "Teach", "Tell",  "Wake",  "Walk"};

constexpr std::string_view kObjects[] = {"Me", "You", "Us", "Her", "Him"};

constexpr std::string_view kEndings[] = {
    "Again",        "All Night",    "Away",        "Back",          "Closer",
    "Down",         "Forever",      "Higher",      "Home",          "In the Morning",
    "Like Before",  "Now",          "Once More",   "One More Time", "Slowly",
    "Softly",       "Till Morning", "To the Moon", "To the River",  "Tonight",
    "When It Rains"};

constexpr std::string_view kSubjects[] = {"Everybody", "He",   "I",  "Nobody", "She",
                                          "Somebody",  "They", "We", "You"};

constexpr std::string_view kSubjectVerbs[] = {
    "Became",   "Believe In", "Burned", "Chase", "Dream Of", "Fell For",
    "Follow",   "Found",      "Heard",  "Lost",  "Miss",     "Need",
    "Remember", "Run From",   "Saw",    "Stole", "Wait For", "Want"};

constexpr std::string_view kDeterminers[] = {"My", "The", "This", "Your"};

constexpr std::string_view kPlaceSongs[] = {"Blues",    "Calling", "Dreams",  "Express", "Girl",
                                            "Heat",     "Lights",  "Lullaby", "Nights",  "Rain",
                                            "Serenade", "Skyline", "Streets", "Summer",  "Sunset"};

constexpr std::string_view kEnsembles[] = {"Band",       "Big Band",     "Collective", "Ensemble",
                                           "Experience", "Orchestra",    "Project",    "Quartet",
                                           "Quintet",    "Sound System", "Trio"};

constexpr std::string_view kStageTitles[] = {"Big", "DJ", "Kid", "Lil", "MC", "Young"};

constexpr std::string_view kVersions[] = {"(Acoustic)", "(Demo)",       "(Extended Mix)",
                                          "(Live)",     "(Radio Edit)", "(Remastered)",
                                          "(Remix)",    "(Reprise)",    "(Unplugged)"};

// Non-ASCII lists: every entry holds at least one non-ASCII letter (checked
// below), so a name drawn from them is non-ASCII.
constexpr std::string_view kIntlFirstNames[] = {
    "Adèle",     "Agnès",    "Álvaro", "Anaïs",    "Andrés",  "Ángel",  "Åsa",     "Bärbel",
    "Benoît",    "Björn",    "Çağla",  "Céline",   "Chloé",   "Dóra",   "Elín",    "Émile",
    "Françoise", "Gaël",     "Göran",  "Hélène",   "Inés",    "Jérôme", "Jesús",   "Jiří",
    "Joaquín",   "José",     "Jürgen", "Lúcia",    "Łukasz",  "María",  "Mårten",  "Márta",
    "Nicolás",   "Noémie",   "Ömer",   "Ondřej",   "Óscar",   "Ramón",  "Raphaël", "Renée",
    "Sebastián", "Sigríður", "Søren",  "Stéphane", "Thérèse", "Tomáš",  "Václav",  "Zoë",
    "Zoltán",    "Zsófia"};

constexpr std::string_view kIntlLastNames[] = {
    "Åberg",    "Bäcklund",  "Brontë",    "Castaño",   "Çelik",    "Ćosić",      "Díaz",
    "Đorđević", "Dvořák",    "Fernández", "García",    "Gómez",    "González",   "Gutiérrez",
    "Häkkinen", "Hernández", "Jiménez",   "Jørgensen", "Kovačić",  "Lefèvre",    "Lindström",
    "López",    "Løvland",   "Mäkelä",    "Márquez",   "Martínez", "Müller",     "Nørgaard",
    "Novák",    "Núñez",     "Nyström",   "Ólafsson",  "Ordóñez",  "Østergaard", "Özdemir",
    "Pérez",    "Ramírez",   "Rodríguez", "Sánchez",   "Schröder", "Şahin",      "Šimek",
    "Sjöström", "Sørensen",  "Strömberg", "Vázquez",   "Wójcik",   "Yılmaz",     "Żak"};

// Russian family names take "а" for women; all of these end in -ов/-ев/-ин.
constexpr std::string_view kCyrillicMaleNames[] = {"Алексей", "Андрей", "Борис", "Дмитрий", "Иван",
                                                   "Михаил",  "Никита", "Павел", "Сергей",  "Юрий"};

constexpr std::string_view kCyrillicFemaleNames[] = {
    "Анна", "Вера", "Дарья", "Екатерина", "Елена", "Ирина", "Мария", "Наталья", "Ольга", "Татьяна"};

constexpr std::string_view kCyrillicLastNames[] = {
    "Волков",  "Воронов", "Зайцев", "Иванов", "Козлов",  "Лебедев", "Морозов",
    "Новиков", "Орлов",   "Павлов", "Петров", "Смирнов", "Соколов", "Фёдоров"};

constexpr std::string_view kJapaneseFamilyNames[] = {"佐藤", "鈴木", "高橋", "田中", "渡辺",
                                                     "伊藤", "山本", "中村", "小林", "加藤",
                                                     "吉田", "山田", "松本", "井上"};

constexpr std::string_view kJapaneseGivenNames[] = {"太郎", "花子", "健太", "さくら", "翔",
                                                    "美咲", "大輔", "愛",   "蓮",     "結衣",
                                                    "陽菜", "大和", "葵",   "悠真"};

constexpr std::string_view kGreekFirstNames[] = {"Γιώργος", "Μαρία", "Νίκος",    "Ελένη",
                                                 "Κώστας",  "Σοφία", "Δημήτρης", "Άννα"};

// Greek family names in -ου are the same for women and men.
constexpr std::string_view kGreekLastNames[] = {
    "Οικονόμου", "Γεωργίου",  "Νικολάου",     "Βασιλείου",    "Ιωάννου",
    "Αντωνίου",  "Δημητρίου", "Κωνσταντίνου", "Χριστοδούλου", "Αθανασίου"};

constexpr std::string_view kSpanishHeads[] = {
    "Canción", "Corazón", "Días",   "Ilusión", "Jardín", "Lágrimas", "Mañana", "Montaña",
    "Música",  "Océano",  "Pasión", "Señales", "Sueño",  "Ángel",    "Camión", "Balcón"};

constexpr std::string_view kSpanishTails[] = {
    "Amor",  "Arena", "Cristal", "Fuego",   "Invierno", "Luna",   "Madrid",    "Medianoche", "Oro",
    "Papel", "Plata", "Sal",     "Sevilla", "Tormenta", "Verano", "Estrellas", "Cielo",      "Mar"};

constexpr std::string_view kIntlTitles[] = {"Été indien",
                                            "Rêve éternel",
                                            "Fête de nuit",
                                            "Cœur brûlé",
                                            "Lumière d'hiver",
                                            "La rivière",
                                            "Forêt noire",
                                            "Déjà vu",
                                            "Über den Wolken",
                                            "Träume aus Glas",
                                            "Schöne Grüße",
                                            "Mädchen am Meer",
                                            "Nächte in Berlin",
                                            "Coração selvagem",
                                            "Saudade no coração",
                                            "Canção do verão",
                                            "Sjön i månsken",
                                            "Höst i Göteborg",
                                            "Nattåg",
                                            "Kærlighed",
                                            "Ærlig talt",
                                            "Księżyc nad Wisłą",
                                            "Żółty deszcz",
                                            "Gönül yarası",
                                            "Yağmur",
                                            "Ночь",
                                            "Звезда по имени Солнце",
                                            "Белые розы",
                                            "Летний дождь",
                                            "Москва в огнях",
                                            "東京の夜",
                                            "夏の終わり",
                                            "さくら色の空",
                                            "星に願いを",
                                            "サヨナラの雨",
                                            "서울의 밤",
                                            "봄날",
                                            "사랑의 노래",
                                            "Καλοκαίρι",
                                            "Αθήνα τη νύχτα"};

template <std::size_t N>
constexpr bool AllNonAscii(const std::string_view (&list)[N]) {
  for (std::string_view entry : list) {
    bool found = false;
    for (char c : entry) found = found || static_cast<unsigned char>(c) >= 0x80;
    if (!found) return false;
  }
  return true;
}
static_assert(AllNonAscii(kIntlFirstNames) && AllNonAscii(kIntlLastNames));
static_assert(AllNonAscii(kCyrillicMaleNames) && AllNonAscii(kCyrillicFemaleNames));
static_assert(AllNonAscii(kCyrillicLastNames));
static_assert(AllNonAscii(kJapaneseFamilyNames) && AllNonAscii(kJapaneseGivenNames));
static_assert(AllNonAscii(kGreekFirstNames) && AllNonAscii(kGreekLastNames));
static_assert(AllNonAscii(kSpanishHeads) && AllNonAscii(kIntlTitles));

// ISO 3166-1 alpha-2 codes of the countries that channels belong to.
constexpr std::string_view kCountries[] = {
    "AR", "AT", "AU", "BE", "BG", "BR", "CA", "CH", "CL", "CO", "CZ", "DE", "DK", "ES",
    "FI", "FR", "GB", "GR", "HR", "HU", "IE", "IN", "IT", "JP", "KR", "MX", "NL", "NO",
    "NZ", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "TR", "UA", "US", "ZA"};

// --- Names. ---

// Builds a name word by word. Each call draws from the generator in call
// order, which a chain `p.Pick(a).Pick(b)` fixes (function arguments would not).
class Phrase {
 public:
  explicit Phrase(Rng& rng) : rng_(rng) {}
  template <std::size_t N>
  Phrase& Pick(const std::string_view (&list)[N]) {
    return Word(list[static_cast<std::size_t>(UniformInt(rng_, 0, N - 1))]);
  }
  Phrase& Word(std::string_view w) {
    if (!text_.empty()) text_ += ' ';
    text_ += w;
    return *this;
  }
  // Appends without a space before.
  Phrase& Glue(std::string_view w) {
    text_ += w;
    return *this;
  }
  std::string Take() { return std::move(text_); }

 private:
  Rng& rng_;
  std::string text_;
};

std::string IntlPersonName(Rng& rng) {
  Phrase p(rng);
  switch (UniformInt(rng, 0, 9)) {
    case 0:
    case 1:
    case 2:
      return p.Pick(kIntlFirstNames).Pick(kIntlLastNames).Take();
    case 3:
      return p.Pick(kFirstNames).Pick(kIntlLastNames).Take();
    case 4:
      return p.Pick(kIntlFirstNames).Pick(kLastNames).Take();
    case 5:
      return p.Pick(kCyrillicMaleNames).Pick(kCyrillicLastNames).Take();
    case 6:
      return p.Pick(kCyrillicFemaleNames).Pick(kCyrillicLastNames).Glue("а").Take();
    case 7: {
      // Japanese names are written family name first, without a space.
      std::string family = p.Pick(kJapaneseFamilyNames).Take();
      return family + Phrase(rng).Pick(kJapaneseGivenNames).Take();
    }
    case 8:
      return p.Pick(kGreekFirstNames).Pick(kGreekLastNames).Take();
    default:
      return p.Pick(kIntlFirstNames).Word("&").Pick(kIntlFirstNames).Take();
  }
}

// One candidate performer name; the caller makes names unique.
std::string PerformerCandidate(Rng& rng) {
  const std::int64_t t = UniformInt(rng, 0, 99);
  Phrase p(rng);
  if (t < 4) return IntlPersonName(rng);
  if (t < 33) return p.Pick(kFirstNames).Pick(kLastNames).Take();
  if (t < 43) return p.Word("The").Pick(kAdjectives).Pick(kNouns).Take();
  if (t < 53) return p.Word("The").Pick(kAdjectives).Pick(kPlurals).Take();
  if (t < 60) return p.Word("The").Pick(kNouns).Pick(kPlurals).Take();
  if (t < 66) return p.Pick(kAdjectives).Pick(kNouns).Take();
  if (t < 72) return p.Pick(kAdjectives).Pick(kPlurals).Take();
  if (t < 78) return p.Pick(kFirstNames).Pick(kLastNames).Word("& The").Pick(kPlurals).Take();
  if (t < 83) return p.Pick(kFirstNames).Pick(kLastNames).Pick(kEnsembles).Take();
  if (t < 88) {
    p.Pick(kStageTitles);
    return (UniformInt(rng, 0, 1) == 0 ? p.Pick(kFirstNames) : p.Pick(kNouns)).Take();
  }
  if (t < 93) return p.Pick(kPlurals).Word("of the").Pick(kNouns).Take();
  if (t < 97) return p.Pick(kPlaces).Pick(kPlurals).Take();
  return p.Pick(kLastNames).Word("&").Pick(kLastNames).Take();
}

std::string IntlTitle(Rng& rng) {
  Phrase p(rng);
  if (UniformInt(rng, 0, 1) == 0)
    return p.Pick(kSpanishHeads).Word("de").Pick(kSpanishTails).Take();
  return p.Pick(kIntlTitles).Take();
}

// One candidate song title; the caller makes titles unique per performer.
std::string TitleCandidate(Rng& rng) {
  const std::int64_t t = UniformInt(rng, 0, 99);
  Phrase p(rng);
  if (t < 3) {
    p.Word(IntlTitle(rng));
  } else if (t < 11) {
    p.Pick(kNouns);
  } else if (t < 29) {
    p.Pick(kAdjectives).Pick(kNouns);
  } else if (t < 37) {
    p.Pick(kTimes).Pick(kSkyThings).Pick(kAcross).Pick(kPlaces);
  } else if (t < 47) {
    p.Pick(kGerunds).Pick(kPrepositions).Word("the").Pick(kNouns);
  } else if (t < 55) {
    p.Pick(kNouns).Word("of").Pick(kAdjectives).Pick(kPlurals);
  } else if (t < 65) {
    p.Pick(kVerbs).Pick(kObjects).Pick(kEndings);
  } else if (t < 73) {
    p.Pick(kPlaces).Pick(kPlaceSongs);
  } else if (t < 83) {
    p.Pick(kSubjects).Pick(kSubjectVerbs).Pick(kDeterminers).Pick(kNouns);
  } else if (t < 89) {
    p.Pick(kGerunds).Pick(kEndings);
  } else if (t < 95) {
    p.Pick(kAdjectives).Pick(kPlurals);
  } else {
    p.Pick(kNouns).Pick(kNouns);
  }
  const std::int64_t v = UniformInt(rng, 0, 99);
  if (v < 5) {
    p.Pick(kVersions);
  } else if (v < 6) {
    p.Word("(feat.").Pick(kFirstNames).Pick(kLastNames).Glue(")");
  }
  return p.Take();
}

// Draws candidates until one is not in `taken`, then inserts and returns it.
// After many misses it numbers the last candidate so that it always ends.
template <typename Candidate>
std::string DrawUnique(Rng& rng, std::unordered_set<std::string>& taken, Candidate candidate) {
  std::string name;
  for (int attempt = 0; attempt < 64; ++attempt) {
    name = candidate(rng);
    if (taken.insert(name).second) return name;
  }
  for (std::int64_t k = 2;; ++k) {
    std::string numbered = name + " " + std::to_string(k);
    if (taken.insert(numbered).second) return numbered;
  }
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

// --- The catalogue. ---

// Walker's alias table over weighted indexes (song ranks, performers): one
// 64-bit draw picks a column uniformly (high 32 bits) and keeps it or takes
// its alias (low 32 bits).
struct AliasTable {
  std::vector<std::uint32_t> threshold;  // keep the column if low bits < threshold
  std::vector<std::uint32_t> alias;

  // REQUIRES: weights non-empty, fewer than 2^32, all > 0.
  explicit AliasTable(const std::vector<double>& weights) {
    const std::size_t n = weights.size();
    double sum = 0;
    for (double w : weights) sum += w;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small;
    std::vector<std::uint32_t> large;
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / sum;
      (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    threshold.assign(n, UINT32_MAX);
    alias.resize(n);
    for (std::size_t i = 0; i < n; ++i) alias[i] = static_cast<std::uint32_t>(i);
    while (!small.empty() && !large.empty()) {
      const std::uint32_t s = small.back();
      small.pop_back();
      const std::uint32_t l = large.back();
      threshold[s] = static_cast<std::uint32_t>(scaled[s] * 4294967296.0);
      alias[s] = l;
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    // What is left has weight 1 up to rounding: it keeps its own column.
  }

  std::uint32_t Draw(std::uint64_t x) const {
    const auto column =
        static_cast<std::uint32_t>(((x >> 32) * static_cast<std::uint64_t>(alias.size())) >> 32);
    return static_cast<std::uint32_t>(x) < threshold[column] ? column : alias[column];
  }
};

struct Catalogue {
  std::vector<std::string> performer;       // by performer index
  std::vector<std::string> title;           // by song index
  std::vector<std::uint32_t> performer_of;  // by song index
  std::vector<std::uint32_t> song_at_rank;  // rank 1 is index 0
  std::vector<std::uint16_t> base_seconds;  // by rank - 1: the song's length before scaling
};

Catalogue MakeCatalogue(const Options& o) {
  Catalogue cat;
  const auto n_performers = static_cast<std::size_t>(o.performers);
  const auto n_songs = static_cast<std::size_t>(o.songs);

  Rng names = StreamRng(o.seed, 1);
  std::unordered_set<std::string> taken;
  taken.reserve(n_performers * 2);
  for (std::size_t p = 0; p < n_performers; ++p) {
    cat.performer.push_back(DrawUnique(names, taken, PerformerCandidate));
  }

  // A "star" factor per performer, heavy-tailed in [1, 100): stars make more
  // songs and their songs rank higher.
  Rng shape = StreamRng(o.seed, 2);
  std::vector<double> star(n_performers);
  for (double& q : star) q = 1.0 / (UniformUnit(shape) * 0.99 + 0.01);
  // Each performer has one song; the rest go to performers drawn by star.
  std::vector<std::uint32_t> songs_of(n_performers, 1);
  const AliasTable by_star(star);
  for (std::size_t s = n_performers; s < n_songs; ++s) ++songs_of[by_star.Draw(shape())];

  for (std::size_t p = 0; p < n_performers; ++p) {
    taken.clear();
    for (std::uint32_t k = 0; k < songs_of[p]; ++k) {
      cat.title.push_back(DrawUnique(names, taken, TitleCandidate));
      cat.performer_of.push_back(static_cast<std::uint32_t>(p));
    }
  }

  // Rank by a random key that a star shrinks; ties go to the lower index.
  std::vector<std::pair<double, std::uint32_t>> key(n_songs);
  for (std::size_t s = 0; s < n_songs; ++s) {
    key[s] = {UniformUnit(shape) / star[cat.performer_of[s]], static_cast<std::uint32_t>(s)};
  }
  std::sort(key.begin(), key.end());
  for (const auto& k : key) cat.song_at_rank.push_back(k.second);

  // Lengths 140..360 s, most near 250 s (sum of two uniforms).
  for (std::size_t r = 0; r < n_songs; ++r) {
    const std::int64_t a = UniformInt(shape, 0, 110);
    cat.base_seconds.push_back(static_cast<std::uint16_t>(140 + a + UniformInt(shape, 0, 110)));
  }
  return cat;
}

// --- Channels. ---

std::string ChannelName(const Options& o, std::int64_t c) {
  const std::size_t width = std::max<std::size_t>(4, std::to_string(o.channels).size());
  const std::string digits = std::to_string(c + 1);
  return "Radio " + std::string(width - digits.size(), '0') + digits;
}

// The country of each channel: the first min(40, channels) countries, as even
// as can be, shuffled over the channels.
std::vector<std::string_view> ChannelCountries(const Options& o) {
  const auto n = static_cast<std::size_t>(o.channels);
  const std::size_t k = std::min(n, std::size(kCountries));
  std::vector<std::string_view> country(n);
  for (std::size_t c = 0; c < n; ++c) country[c] = kCountries[c % k];
  Rng rng = StreamRng(o.seed, 3);
  for (std::size_t i = n; i > 1; --i) {
    std::swap(
        country[i - 1],
        country[static_cast<std::size_t>(UniformInt(rng, 0, static_cast<std::int64_t>(i) - 1))]);
  }
  return country;
}

// --- Output. ---

class Writer {
 public:
  explicit Writer(std::FILE* f) : f_(f), buf_(kSize) {}
  // Room for `n` more bytes; flushes when needed. REQUIRES: n <= kSize.
  char* Reserve(std::size_t n) {
    if (used_ + n > buf_.size()) Flush();
    return buf_.data() + used_;
  }
  void Commit(char* end) { used_ = static_cast<std::size_t>(end - buf_.data()); }
  void Append(std::string_view s) {
    char* p = Reserve(s.size());
    std::memcpy(p, s.data(), s.size());
    Commit(p + s.size());
  }
  void Flush() {
    if (used_ > 0 && std::fwrite(buf_.data(), 1, used_, f_) != used_) failed_ = true;
    used_ = 0;
  }
  // Returns false if any write failed.
  bool ok() const { return !failed_; }
  static constexpr std::size_t kSize = 8 << 20;

 private:
  std::FILE* f_;
  std::vector<char> buf_;
  std::size_t used_ = 0;
  bool failed_ = false;
};

// "YYYY-MM-DD" for a day number (days since 1970-01-01), proleptic Gregorian.
std::string DateOf(std::int64_t z) {
  const text::CivilDate date = text::CivilFromDays(z);
  const int y = date.year, m = date.month, d = date.day;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// "YYYY-MM-DDThh:mm:ss" for every second of the span, from two tables.
class Clock {
 public:
  explicit Clock(std::int64_t days) : hms_(static_cast<std::size_t>(kSecondsPerDay) * 8) {
    for (std::int64_t d = 0; d <= days; ++d) {
      const std::string date = DateOf(kFirstDay + d) + "T";
      std::memcpy(dates_.emplace_back().data(), date.data(), 11);
    }
    for (std::int64_t s = 0; s < kSecondsPerDay; ++s) {
      char* p = hms_.data() + s * 8;
      const std::int64_t f[3] = {s / 3600, s / 60 % 60, s % 60};
      for (int i = 0; i < 3; ++i) {
        p[i * 3] = static_cast<char>('0' + f[i] / 10);
        p[i * 3 + 1] = static_cast<char>('0' + f[i] % 10);
        if (i < 2) p[i * 3 + 2] = ':';
      }
    }
  }
  // Writes the 19 characters for `sec` seconds after the first day; returns the end.
  char* Put(char* p, std::int64_t sec) const {
    std::memcpy(p, dates_[static_cast<std::size_t>(sec / kSecondsPerDay)].data(), 11);
    std::memcpy(p + 11, hms_.data() + (sec % kSecondsPerDay) * 8, 8);
    return p + 19;
  }

 private:
  std::vector<std::array<char, 11>> dates_;
  std::vector<char> hms_;
};

// --- The schedule. ---

// One channel's plays, drawn lazily. Play i ends at span * cum_i / total
// seconds, where cum_i is the sum of the raw lengths of plays 0..i: the plays
// are back to back and the last one ends exactly at `span`.
struct ChannelState {
  Rng rng;
  std::int64_t left = 0;   // plays not written yet, the current one included
  std::int64_t cum = 0;    // raw seconds up to the end of the current play
  std::int64_t total = 0;  // raw seconds of all the channel's plays
  std::uint32_t rank = 0;  // current play's song rank - 1
  std::int32_t start = 0;
  std::int32_t end = 0;
  std::uint32_t next_due = 0;  // next channel in the same start-second bucket
};

struct Draw {
  std::uint32_t rank;
  std::int64_t raw_seconds;
};

Draw NextPlay(Rng& rng, const AliasTable& zipf, const Catalogue& cat) {
  const std::uint32_t r = zipf.Draw(rng());
  return {r, cat.base_seconds[r] + UniformInt(rng, -kJitterSeconds, kJitterSeconds)};
}

std::int64_t PlaysOf(const Options& o, std::int64_t c) {
  const std::int64_t plays = o.plays_per_day * o.days;
  return plays / o.channels + (c < plays % o.channels ? 1 : 0);
}

std::uint64_t ChannelSeed(const Options& o, std::int64_t c) {
  return SplitMix64(o.seed ^ SplitMix64(static_cast<std::uint64_t>(c) + 1000));
}

int WriteCatalogueLists(const Options& o, const Catalogue& cat, Writer& w) {
  std::string line;
  if (o.list_channels) {
    const std::vector<std::string_view> country = ChannelCountries(o);
    for (std::int64_t c = 0; c < o.channels; ++c) {
      line = "{\"channel\":\"" + ChannelName(o, c) + "\",\"country\":\"";
      line += country[static_cast<std::size_t>(c)];
      line += "\"}\n";
      w.Append(line);
    }
  }
  if (o.list_songs) {
    for (std::size_t r = 0; r < cat.song_at_rank.size(); ++r) {
      const std::uint32_t s = cat.song_at_rank[r];
      line = "{\"performer\":\"";
      AppendJsonEscaped(line, cat.performer[cat.performer_of[s]]);
      line += "\",\"title\":\"";
      AppendJsonEscaped(line, cat.title[s]);
      line += "\",\"rank\":" + std::to_string(r + 1) + "}\n";
      w.Append(line);
    }
  }
  return 0;
}

int WritePlays(const Options& o, const Catalogue& cat, Writer& w) {
  const std::int64_t span = o.days * kSecondsPerDay - 1;  // the last play ends at 23:59:59
  std::vector<double> weights(cat.song_at_rank.size());
  for (std::size_t r = 0; r < weights.size(); ++r) weights[r] = 1.0 / static_cast<double>(r + 1);
  const AliasTable zipf(weights);

  // Pass 1: each channel's total raw length, and the check that scaling
  // keeps every play between 1 s and 24 h.
  std::vector<ChannelState> ch(static_cast<std::size_t>(o.channels));
  for (std::int64_t c = 0; c < o.channels; ++c) {
    ChannelState& s = ch[static_cast<std::size_t>(c)];
    s.rng.seed(ChannelSeed(o, c));
    s.left = PlaysOf(o, c);
    std::int64_t lo = INT64_MAX;
    std::int64_t hi = 0;
    for (std::int64_t i = 0; i < s.left; ++i) {
      const std::int64_t raw = NextPlay(s.rng, zipf, cat).raw_seconds;
      s.total += raw;
      lo = std::min(lo, raw);
      hi = std::max(hi, raw);
    }
    // floor(span*(a+raw)/total) - floor(span*a/total) lies within
    // [floor(span*raw/total), ceil(span*raw/total)].
    if (span * lo < s.total || span * hi > kSecondsPerDay * s.total) {
      std::fprintf(stderr,
                   "w2_generator: %lld plays cannot fill %lld days of a channel with plays of "
                   "1 s to 24 h; change --plays-per-day or --channels\n",
                   static_cast<long long>(s.left), static_cast<long long>(o.days));
      return 2;
    }
  }

  // Fixed text per channel and per song rank, escaped once.
  std::vector<std::string> prefix;
  for (std::int64_t c = 0; c < o.channels; ++c) {
    std::string p = "{\"channel\":\"";
    AppendJsonEscaped(p, ChannelName(o, c));
    prefix.push_back(p + "\",\"performer\":\"");
  }
  std::string arena;  // the "middle" of rank r is arena[at[r], at[r + 1])
  std::vector<std::size_t> at{0};
  std::size_t longest = 0;
  for (std::uint32_t s : cat.song_at_rank) {
    AppendJsonEscaped(arena, cat.performer[cat.performer_of[s]]);
    arena += "\",\"title\":\"";
    AppendJsonEscaped(arena, cat.title[s]);
    arena += "\",\"start\":\"";
    longest = std::max(longest, arena.size() - at.back());
    at.push_back(arena.size());
  }
  std::size_t longest_prefix = 0;
  for (const std::string& p : prefix) longest_prefix = std::max(longest_prefix, p.size());
  const std::size_t max_line = longest_prefix + longest + 64;
  static constexpr std::string_view kEndField = "\",\"end\":\"";
  static constexpr std::string_view kClose = "\"}\n";
  const Clock clock(o.days);

  // Pass 2: the same draws again, merged by start through one bucket per
  // second; each channel waits in exactly one bucket, so a linked list does.
  constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<std::uint32_t> bucket(static_cast<std::size_t>(span) + 1, kNone);
  auto advance = [&](std::uint32_t c) {
    ChannelState& s = ch[c];
    const Draw d = NextPlay(s.rng, zipf, cat);
    s.rank = d.rank;
    s.start = s.end;
    s.cum += d.raw_seconds;
    s.end = static_cast<std::int32_t>(span * s.cum / s.total);
    s.next_due = bucket[static_cast<std::size_t>(s.start)];
    bucket[static_cast<std::size_t>(s.start)] = c;
  };
  for (std::size_t c = ch.size(); c-- > 0;) {
    ch[c].rng.seed(ChannelSeed(o, static_cast<std::int64_t>(c)));
    advance(static_cast<std::uint32_t>(c));
  }
  std::vector<std::uint32_t> due;
  for (std::int64_t t = 0; t <= span; ++t) {
    due.clear();
    for (std::uint32_t c = bucket[static_cast<std::size_t>(t)]; c != kNone; c = ch[c].next_due) {
      due.push_back(c);
    }
    std::sort(due.begin(), due.end());
    for (std::uint32_t c : due) {
      ChannelState& s = ch[c];
      char* p = w.Reserve(max_line);
      const std::string& pre = prefix[c];
      std::memcpy(p, pre.data(), pre.size());
      p += pre.size();
      const std::size_t len = at[s.rank + 1] - at[s.rank];
      std::memcpy(p, arena.data() + at[s.rank], len);
      p = clock.Put(p + len, s.start);
      std::memcpy(p, kEndField.data(), kEndField.size());
      p = clock.Put(p + kEndField.size(), s.end);
      std::memcpy(p, kClose.data(), kClose.size());
      w.Commit(p + kClose.size());
      if (--s.left > 0) advance(c);
    }
  }
  return 0;
}

bool ParseInt(std::string_view s, std::int64_t& v) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

void PrintUsage() {
  std::fprintf(stderr,
               "usage: w2_generator [--seed N] [--days N] [--channels N] [--songs N]\n"
               "                    [--performers N] [--plays-per-day N] [--out FILE|-]\n"
               "                    [--list-channels] [--list-songs]\n"
               "Writes W2 plays as NDJSON (defaults: seed 1, 30 days from 2024-03-01,\n"
               "2000 channels, 200000 songs, 50000 performers, 1000000 plays a day, stdout).\n"
               "--list-channels writes {\"channel\",\"country\"} lines and --list-songs\n"
               "{\"performer\",\"title\",\"rank\"} lines instead of plays.\n");
}

// Returns false (after printing why) on a bad command line or --help.
bool ParseFlags(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const char* flag = argv[i];
    std::string_view arg = flag;
    std::string_view value;
    const bool is_switch = arg == "--list-channels" || arg == "--list-songs" || arg == "--help";
    const auto eq = arg.find('=');
    if (eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (!is_switch && i + 1 < argc) {
      value = argv[++i];
    }
    std::int64_t n = 0;
    if (arg == "--help") {
      PrintUsage();
      return false;
    } else if (arg == "--list-channels") {
      o.list_channels = true;
    } else if (arg == "--list-songs") {
      o.list_songs = true;
    } else if (arg == "--out") {
      o.out = std::string(value);
    } else if (!ParseInt(value, n) || n < 0) {
      std::fprintf(stderr, "w2_generator: bad or missing value for %s\n", flag);
      return false;
    } else if (arg == "--seed") {
      o.seed = static_cast<std::uint64_t>(n);
    } else if (arg == "--days") {
      o.days = n;
    } else if (arg == "--channels") {
      o.channels = n;
    } else if (arg == "--songs") {
      o.songs = n;
    } else if (arg == "--performers") {
      o.performers = n;
    } else if (arg == "--plays-per-day") {
      o.plays_per_day = n;
    } else {
      std::fprintf(stderr, "w2_generator: unknown flag %s (try --help)\n", flag);
      return false;
    }
  }
  // The bounds keep span * raw seconds within int64 and indexes within uint32.
  if (o.out.empty() || o.days < 1 || o.days > 366 || o.channels < 1 || o.channels > 1'000'000 ||
      o.performers < 1 || o.performers > o.songs || o.songs > 50'000'000 ||
      o.plays_per_day > 1'000'000'000'000 || o.plays_per_day * o.days < o.channels ||
      o.plays_per_day * o.days / o.channels > 100'000'000) {
    std::fprintf(stderr,
                 "w2_generator: need a non-empty --out, 1 <= days <= 366, "
                 "1 <= channels <= 1e6, 1 <= performers <= songs <= 5e7, "
                 "channels <= plays-per-day * days, plays per channel <= 1e8\n");
    return false;
  }
  return true;
}

int Run(const Options& o) {
  const Catalogue cat = o.list_channels && !o.list_songs ? Catalogue{} : MakeCatalogue(o);
  std::FILE* f = o.out == "-" ? stdout : std::fopen(o.out.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "w2_generator: cannot open %s: %s\n", o.out.c_str(), std::strerror(errno));
    return 1;
  }
  Writer w(f);
  const int rc =
      o.list_channels || o.list_songs ? WriteCatalogueLists(o, cat, w) : WritePlays(o, cat, w);
  w.Flush();
  bool ok = w.ok() && std::fflush(f) == 0;
  if (f != stdout) ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::fprintf(stderr, "w2_generator: write failed: %s\n", std::strerror(errno));
    return 1;
  }
  return rc;
}

}  // namespace
}  // namespace spinlog::bench

int main(int argc, char** argv) {
  spinlog::bench::Options options;
  if (!spinlog::bench::ParseFlags(argc, argv, options)) return 2;
  return spinlog::bench::Run(options);
}
