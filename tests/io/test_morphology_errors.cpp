// Malformed reconstructions: each is an InputError naming the file and the line at fault, never a crash.
#include <catch2/catch.hpp>

#include "apical/io/morphology_file.hpp"
#include "io_test_support.hpp"

using namespace apical;
using Catch::Matchers::Contains;

namespace {

// A valid one-point-soma SWC cell with a basal branch and an apical dendrite.
const std::string good_swc =
    "# id type x y z r parent\n"
    "1 1 0 0 0 5 -1\n"
    "2 3 6 0 0 0.5 1\n"
    "3 3 20 0 0 0.5 2\n"
    "4 3 30 5 0 0.4 3\n"
    "5 3 30 -5 0 0.4 3\n"
    "6 4 0 6 0 1 1\n"
    "7 4 0 100 0 0.8 6\n";

const std::string good_asc =
    "; a small cell\n"
    "(\"CellBody\"\n"
    "  (Color Red)\n"
    "  (CellBody)\n"
    "  (  5  0 0 0.1 S1)\n"
    "  (  0  4 0 0.1 S1)\n"
    "  ( -5  0 0 0.1 S1)\n"
    "  (  0 -4 0 0.1 S1)\n"
    ")\n"
    "( (Color Blue)\n"
    "  (Dendrite)\n"
    "  ( 5 0 0 1 S1)\n"
    "  ( 15 0 0 1 S1)\n"
    "  (\n"
    "    ( 25 5 0 0.8 S1)\n"
    "    Normal\n"
    "  |\n"
    "    ( 25 -5 0 0.8 S1)\n"
    "    <( 26 -5 0 0.3 S1)>\n"
    "    (Cross (Name \"Marker 3\") ( 1 2 3 0.5 S1))\n"
    "    ( 35 -5 0 0.8 S1)\n"
    "    Incomplete\n"
    "  )\n"
    ")\n";

// The message of the InputError from importing `text` as `name`.
std::string error_of(const std::string& name, const std::string& text) {
  test::TempDir dir;
  const std::string path = dir.write(name, text);
  try {
    (void)load_morphology(path);
  } catch (const InputError& e) {
    CHECK(e.file() == path);
    return e.what();
  }
  FAIL("no error for " << name);
  return "";
}

std::string replace_line(std::string text, int line, const std::string& with) {
  std::size_t start = 0;
  for (int k = 1; k < line; ++k) start = text.find('\n', start) + 1;
  return text.replace(start, text.find('\n', start) - start, with);
}

}  // namespace

TEST_CASE("the small test cells import", "[morphology]") {
  test::TempDir dir;
  const ImportedCell swc = load_morphology(dir.write("small.swc", good_swc));
  REQUIRE(swc.cell.morphology.sections.size() == 5);  // soma; dend_0 (3 -> 2 ... 3), two children; apic_0
  CHECK(swc.cell.morphology.sections[1].name == "dend_0");
  CHECK(swc.cell.morphology.sections[1].length_um == Approx(14));  // 6 -> 20: the stem from the centre is not
  CHECK(swc.cell.morphology.sections[2].parent == 1);
  const ImportedCell asc = load_morphology(dir.write("small.asc", good_asc));
  REQUIRE(asc.cell.morphology.sections.size() == 4);  // soma, dend_0 and its two branches
  CHECK(asc.cell.morphology.sections[3].length_um == Approx(std::hypot(10, 5) + 10));  // spine and marker skipped
}

TEST_CASE("SWC: the three-point soma is the one-point soma's cylinder", "[morphology]") {
  test::TempDir dir;
  const std::string three_point = "1 1 0 0 0 5 -1\n2 1 0 -5 0 5 1\n3 1 0 5 0 5 1\n4 3 6 0 0 0.5 1\n5 3 20 0 0 0.5 4\n";
  const SectionSpec soma = load_morphology(dir.write("three.swc", three_point)).cell.morphology.sections[0];
  CHECK(soma.length_um == 10);
  CHECK(soma.diam_start_um == 10);
}

TEST_CASE("SWC errors name the file and line", "[morphology]") {
  CHECK_THAT(error_of("missing_parent.swc", replace_line(good_swc, 5, "4 3 30 5 0 0.4 77")),
             Contains("line 5: parent 77 of sample 4 does not exist"));
  CHECK_THAT(error_of("cycle.swc", good_swc + "8 3 1 1 1 0.3 9\n9 3 2 2 2 0.3 8\n"),
             Contains("line 9: sample 8 is part of or hangs off a cycle of parents: 8 -> 9 -> 8"));
  CHECK_THAT(error_of("zero_radius.swc", replace_line(good_swc, 4, "3 3 20 0 0 0 2")),
             Contains("line 4: the radius must be positive, got 0"));
  CHECK_THAT(error_of("unknown_type.swc", replace_line(good_swc, 4, "3 9 20 0 0 0.5 2")),
             Contains("line 4: unknown sample type 9"));
  CHECK_THAT(error_of("truncated.swc", good_swc + "8 3 40 5"), Contains("line 9: expected 7 fields"));
  CHECK_THAT(error_of("not_a_number.swc", replace_line(good_swc, 3, "2 3 6 0 zero 0.5 1")),
             Contains("line 3: the z 'zero' is not a number"));
  CHECK_THAT(error_of("duplicate.swc", replace_line(good_swc, 4, "2 3 20 0 0 0.5 1")),
             Contains("line 4: sample id 2 is already used on line 3"));
  CHECK_THAT(error_of("orphan_tree.swc", good_swc + "8 3 50 50 0 0.5 -1\n9 3 60 50 0 0.5 8\n"),
             Contains("line 9: this basal dendrite sample is a root"));
  CHECK_THAT(error_of("four_point_soma.swc", replace_line(good_swc, 3, "2 1 6 0 0 5 1") + "8 1 0 0 0 5 2\n9 1 0 0 0 5 8\n"),
             Contains("line 3: a soma of 4 samples"));
  CHECK_THAT(error_of("empty.swc", "# nothing\n"), Contains("the file has no samples"));
}

TEST_CASE("Neurolucida errors name the file and line", "[morphology]") {
  CHECK_THAT(error_of("unclosed.asc", good_asc.substr(0, good_asc.find("Incomplete"))),
             Contains("line 14: this '(' is never closed: the file ends at line 22"));
  CHECK_THAT(error_of("extra_paren.asc", good_asc + ")\n"), Contains("line 25: ')' without a matching '('"));
  CHECK_THAT(error_of("zero_diameter.asc", replace_line(good_asc, 13, "  ( 15 0 0 0 S1)")),
             Contains("line 13: the diameter must be positive, got 0"));
  CHECK_THAT(error_of("short_point.asc", replace_line(good_asc, 13, "  ( 15 0 0)")),
             Contains("line 13: a point is (x y z diameter [section tag])"));
  CHECK_THAT(error_of("no_soma.asc", good_asc.substr(good_asc.find("( (Color Blue)"))),
             Contains("there is no soma contour"));
  CHECK_THAT(error_of("flat_soma.asc", replace_line(replace_line(good_asc, 6, "  ( 0 0 0 0.1 S1)"), 8, "  ( 0 0 0 0.1 S1)")),
             Contains("line 2: the soma contour is degenerate"));
  CHECK_THAT(error_of("stray_bar.asc", replace_line(good_asc, 12, "  ( 5 0 0 1 S1) |")),
             Contains("line 12: '|' outside a block of branches"));
  CHECK_THAT(error_of("unclosed_string.asc", good_asc + "(Name \"unterminated)\n"),
             Contains("line 25: this '\"' is never closed"));
}

TEST_CASE("an unknown extension is refused", "[morphology]") {
  CHECK_THAT(error_of("cell.txt", good_swc), Contains("apical reads .swc (SWC) and .asc"));
}
