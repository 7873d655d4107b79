//! Which models read a scan: pages rendered at test time in several scripts, read with the
//! models their script wants without being told (a Korean page full of English, a Chinese
//! page, a Russian page with Latin formulas, a Japanese page set vertically), each checked for
//! its text, the models the report names and its language. Needs the packages
//! `tests/run.sh` installs: tesseract-ocr-kor, -chi-sim, -chi-tra, -ukr, -jpn-vert and
//! fonts-wqy-zenhei beside those of the other OCR tests.

use super::json::Report;
use super::ocr::{accuracy, scan};
use super::*;

const PACKAGES: &str = "tesseract-ocr-kor tesseract-ocr-chi-sim tesseract-ocr-chi-tra \
    tesseract-ocr-ukr tesseract-ocr-jpn-vert fonts-wqy-zenhei (tests/run.sh installs them)";

const KOREAN: &str = "설치 방법은 다음과 같습니다: apt install archivist\n\
    색인을 만들려면 archivist ingest 명령을 실행하십시오\n\
    검색할 때는 archivist search 명령에 단어를 입력합니다";
const CHINESE: &str = "战俘经由纳霍德卡港口返回祖国\n\
    舞鹤港的档案记录了每一艘遣返船的到达日期";
const RUSSIAN: &str = "Энергия покоя вычисляется по формуле E = mc2\n\
    где m это масса тела и c скорость света\n\
    Скорость v = s / t измеряется в метрах в секунду";
const VERTICAL: &str = "シベリア抑留者は舞鶴港に帰還した\n\
    引揚船は多くの人々を乗せて日本海を渡り\n\
    家族が岸壁で長い間待っていた";

/// The models Tesseract has installed, so that a missing pack fails with its package named.
fn require_models(models: &[&str]) {
    let listed = Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .unwrap_or_else(|e| panic!("cannot run tesseract ({e}): apt-get install {PACKAGES}"));
    let listing = String::from_utf8_lossy(&listed.stdout);
    for model in models {
        assert!(
            listing.lines().any(|l| l.trim() == *model),
            "Tesseract model {model} is missing: apt-get install {PACKAGES}"
        );
    }
}

#[test]
fn pages_are_read_with_the_models_of_their_script_unasked() {
    require_models(&[
        "kor", "chi_sim", "chi_tra", "rus", "ukr", "jpn", "jpn_vert", "eng",
    ]);
    let env = Env::new();
    let corpus = env.path("corpus");
    // Pages of a few lines, as most are: Tesseract's layout analysis breaks up a page of
    // two or three short lines whatever its models.
    let page = |text: &str| [text, text, text].join("\n");
    scan(&corpus.join("korean.png"), &page(KOREAN), &[]);
    scan(&corpus.join("chinese.png"), &page(CHINESE), &[]);
    scan(&corpus.join("russian.png"), &page(RUSSIAN), &[]);
    scan(
        &corpus.join("vertical.png"),
        &page(VERTICAL),
        &["--vertical"],
    );
    let out = env.run(&["ingest", "--report", "report.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Report =
        serde_json::from_slice(&std::fs::read(env.path("report.json")).expect("report"))
            .expect("the documented JSON");
    let models = |file: &str| -> Vec<String> {
        report
            .files
            .iter()
            .find(|f| f.path.ends_with(file))
            .unwrap_or_else(|| panic!("{file} in the report"))
            .ocr_models
            .clone()
    };
    for (query, file, text, language, model, at_least) in [
        ("설치", "korean.png", KOREAN, "ko", "kor", 0.85),
        ("战俘", "chinese.png", CHINESE, "zh", "chi_sim", 0.85),
        ("Энергия", "russian.png", RUSSIAN, "ru", "rus", 0.9),
        ("シベリア", "vertical.png", VERTICAL, "ja", "jpn_vert", 0.85),
    ] {
        let results = env.search(query);
        let hit = results.hit(file);
        // The snippet starts where the page does: compared with as much of the page.
        let shown = hit
            .snippet
            .text
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
        let expected: String = page(text)
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(shown)
            .collect();
        let score = accuracy(&expected, &hit.snippet.text);
        assert!(
            score >= at_least,
            "{file}: {score:.3} of {text:?} in {:?}, read with {:?}",
            hit.snippet.text,
            models(file)
        );
        assert_eq!(hit.lang, language, "{file}");
        assert!(
            models(file).iter().any(|m| m == model),
            "{file} read with {:?}",
            models(file)
        );
    }
    // Chinese is not read with the Japanese model, whose forms it would take.
    assert!(!models("chinese.png").iter().any(|m| m == "jpn"));
    // The English of the Korean page and the formulas of the Russian one are read too.
    assert!(
        env.search("ingest")
            .hit("korean.png")
            .snippet
            .text
            .contains("ingest")
    );
    let formula = env.search("Скорость");
    let formula = &formula.hit("russian.png").snippet.text;
    assert!(formula.contains("v = s"), "{formula}");
}
