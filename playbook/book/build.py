"""Build the bilingual book with Jupyter Book 1.x: warnings are errors, notebooks are executed.

``make book`` calls :func:`build_book` (through ``python -m playbook build``), which builds one
site per language from the same sources and puts them side by side::

    _build/html/index.html     a bilingual landing page offering both editions
    _build/html/en/...         the English edition
    _build/html/fr/...         the French edition (same pages, same code cells)

The French edition is the same source translated through gettext catalogues (``locales/fr``,
see :mod:`playbook.book.translate`); notebooks run with ``PLAYBOOK_LANG=fr`` so that figures and
tables take their labels from the French catalogue. Every page carries a switcher to the same page
in the other language.

A jurisdiction edition (``python -m playbook build --jurisdiction mb``, ``make book
JURISDICTION=mb``) layers a profile from ``jurisdictions/`` on top (see
:mod:`playbook.jurisdiction`): the title names the jurisdiction, the chapters' MyST substitutions
come from the profile, notebooks run with ``PLAYBOOK_JURISDICTION`` set so that they filter their
data to it, and the site goes to ``_build/<code>/html``. The default build is the pan-Canadian
edition (substitutions from the ``ca`` profile) in ``_build/html``.

An analysis manifest (``python -m playbook build --manifest FILE``, ``make book MANIFEST=FILE``,
see :mod:`playbook.sources.manifest`) builds the whole book from an analyst's own files: notebooks
run with ``PLAYBOOK_MANIFEST`` set, and read every input through it. A manifest naming a
jurisdiction builds that jurisdiction's edition.

The guide's Word templates are generated from their Markdown sources before each build
(:mod:`playbook.book.templates`), so the pages can offer them for download.

Execution is cached (a notebook re-runs only when its code changes); because Jupyter Book's cache
does not notice changes to the ``playbook`` package, the data or the specs, the cache is cleared
whenever their fingerprint changes. Tests build with ``execute="force"`` into a temporary folder.
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from playbook import i18n
from playbook import jurisdiction as jur
from playbook.book import pdf as guide_pdf
from playbook.book import site as site_assets
from playbook.book import templates
from playbook.book import translate as translation
from playbook.errors import PlaybookError
from playbook.paths import ROOT
from playbook.sources import manifest as manifests

EXECUTE_MODES = ("cache", "force", "off")
#: What the executed notebooks depend on besides their own code.
FINGERPRINTED = ("playbook", "specs", "data", "jurisdictions", "_config.yml")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


def fingerprint(root: Path = ROOT) -> str:
    """A hash of the package, specs, data and configuration (paths and contents)."""
    digest = hashlib.sha256()
    for name in FINGERPRINTED:
        base = root / name
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for f in files:
            if "__pycache__" in f.parts:
                continue
            digest.update(str(f.relative_to(root)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()


def _jupyter_book() -> str:
    exe = Path(sys.executable).with_name("jupyter-book")
    if not exe.exists():
        raise PlaybookError("jupyter-book is not installed in this environment", expected="`make book` to install it")
    return str(exe)


def _french_bibfile(name: str) -> str:
    """``references.bib`` -> ``references.fr.bib`` when that file exists, else ``name``."""
    french = Path(name).with_suffix(".fr.bib")
    return french.as_posix() if (ROOT / french).exists() else name


def language_config(base: dict, lang: str, execute: str, static_dir: Path | None = None) -> dict:
    """The book configuration for one language edition: ``base`` (``_config.yml``) with the
    title, Sphinx language, message catalogues, footer and switcher context of ``lang``, and the
    site's own JavaScript (``static_dir``, see :mod:`playbook.book.site`) instead of any CDN."""
    other = next(code for code in i18n.LANGUAGES if code != lang)
    config = yaml.safe_load(yaml.safe_dump(base))  # deep copy
    config["title"] = i18n.t("playbook_title", lang)
    config.setdefault("execute", {})["execute_notebooks"] = execute
    config.setdefault("html", {})["extra_footer"] = i18n.t("site_footer", lang)
    config.setdefault("parse", {}).setdefault("myst_substitutions", {})["lang"] = lang
    if lang == "fr" and config.get("bibtex_bibfiles"):
        # The French bibliography: same keys, official French titles, French connecting words
        # (style registered by playbook.book.site, see playbook.book.bibliography).
        config["bibtex_bibfiles"] = [_french_bibfile(name) for name in config["bibtex_bibfiles"]]
    sphinx = config.setdefault("sphinx", {})
    sphinx["recursive_update"] = True
    extensions = sphinx.setdefault("extra_extensions", []) or []
    sphinx["extra_extensions"] = [*extensions, "playbook.book.site"]
    offline = {
        # Widgets' require.js and html-manager come from CDNs: the static site shows the
        # pre-rendered views instead, and the live explorers run in JupyterLab.
        "nb_ipywidgets_js": {},
        "mathjax_path": site_assets.MATHJAX_PATH,
    }
    if static_dir is not None:
        offline["html_static_path"] = [str(static_dir)]
    sphinx.setdefault("config", {}).update(
        {
            **offline,
            "language": lang,
            # code cells are collapsed (tag hide-input): their toggle, in the page's language
            "nb_code_prompt_show": i18n.t("site_code_show", lang),
            "nb_code_prompt_hide": i18n.t("site_code_hide", lang),
            **({"bibtex_default_style": "playbook_fr"} if lang == "fr" else {}),
            "locale_dirs": ["locales/"],
            "gettext_compact": False,
            "html_context": {
                "default_mode": "light",  # pydata-sphinx-theme reads it here; contrast is tested in light mode
                "playbook_lang": lang,
                "playbook_other_lang": other,
                "playbook_other_lang_name": LANGUAGE_NAMES[other],
                "playbook_switch_label": i18n.t("switch_language_label", lang),
            },
            "html_theme_options": {
                "search_bar_text": i18n.t("search_bar_text", lang),
                "article_header_end": ["language-switcher.html", "article-header-buttons.html"],
            },
        }
    )
    return footer_config(config, lang)


def footer_config(config: dict, lang: str) -> dict:
    """``config`` with the footer's author ("By …") and "last updated" date format in ``lang``."""
    config["author"] = i18n.t("site_author", lang)
    config.setdefault("sphinx", {}).setdefault("config", {})["html_last_updated_fmt"] = i18n.t("site_date_format", lang)
    return config


def translated_sources(root: Path, work: Path, config: dict, lang: str) -> Path | None:
    """For a translated edition (not English, the source language): compile its catalogues into
    ``work`` and point ``config``'s ``locale_dirs`` at them (see
    :func:`playbook.book.translate.build_catalogues`), and write its table of contents with the
    captions in ``lang``; return that file (for ``--toc``), or None for English."""
    if lang == "en":
        return None
    locales = translation.build_catalogues(lang, work / "_build" / "locales", root / "locales")
    config.setdefault("sphinx", {}).setdefault("config", {})["locale_dirs"] = [str(locales)]
    return translation.localised_toc(root / "_toc.yml", lang, work / "_build" / f"_toc.{lang}.yml", root / "locales")


def jurisdiction_config(config: dict, profile: jur.Profile | None, lang: str) -> dict:
    """``config`` (one language edition) with the MyST substitutions of ``profile`` (the
    pan-Canadian ``ca`` profile when None) and, for a jurisdiction edition, a title naming it."""
    config = yaml.safe_load(yaml.safe_dump(config))  # deep copy
    chosen = profile or jur.load(jur.DEFAULT)
    config.setdefault("parse", {}).setdefault("myst_substitutions", {}).update(chosen.substitutions(lang))
    # where every page's "Report a problem" link goes (see playbook.book.page_details)
    config.setdefault("sphinx", {}).setdefault("config", {})["playbook_report_url"] = chosen.report_problem
    if profile is not None:
        config["title"] = i18n.t("jurisdiction_title", lang, title=i18n.t("playbook_title", lang),
                                 jurisdiction=profile.name[lang])
    return config


def word_templates(root: Path) -> list[Path]:
    """Generate the Word templates the pages offer for download, in the tree being built, and the
    translated templates (Markdown and Word) of the other editions."""
    source = root / "book" / "templates"
    translated = [path for lang in i18n.LANGUAGES if lang != "en"
                  for path in templates.build_translated(lang, source / "_build", source, root / "locales")]
    return templates.build(source / "docx", source) + translated


def _run_jupyter_book(root: Path, work: Path, config: dict, lang: str, strict: bool, builder: str = "html",
                      profile: jur.Profile | None = None, manifest: manifests.Manifest | None = None,
                      toc: Path | None = None) -> Path:
    build_dir = work / "_build"
    build_dir.mkdir(parents=True, exist_ok=True)
    generated = build_dir / "_config.generated.yml"
    generated.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # --all: a fresh Sphinx environment every time, so a warning is never hidden by an incremental
    # build; notebook execution is still cached by jupyter-cache, so this costs only the parsing.
    cmd = [_jupyter_book(), "build", str(root), "--path-output", str(work), "--config", str(generated), "--all"]
    if builder == "html":
        cmd += ["--builder", "html"]
    else:
        cmd += ["--builder", "custom", "--custom-builder", builder]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    if toc is not None:
        cmd += ["--toc", str(toc)]
    env = {k: v for k, v in os.environ.items() if k not in (jur.ENV_VAR, manifests.ENV_VAR)} | {"PLAYBOOK_LANG": lang}
    if profile is not None:
        env[jur.ENV_VAR] = str(profile.path)
    if manifest is not None and manifest.path is not None:
        env[manifests.ENV_VAR] = str(manifest.path)
    result = subprocess.run(cmd, cwd=root, env=env)
    if result.returncode != 0:
        raise PlaybookError(f"the {lang} book build failed (exit code {result.returncode}); see the messages above")
    return build_dir / builder


def landing_page(langs: tuple[str, ...] = i18n.LANGUAGES, profile: jur.Profile | None = None) -> str:
    """The bilingual root page that offers the editions (of a jurisdiction, if ``profile``)."""
    def title(code: str) -> str:
        text = i18n.t("playbook_title", code)
        if profile is None:
            return text
        return i18n.t("jurisdiction_title", code, title=text, jurisdiction=profile.name[code])

    links = "\n".join(
        f'    <li lang="{code}"><a href="{code}/index.html" hreflang="{code}">'
        f"{html.escape(title(code))} — {LANGUAGE_NAMES[code]}</a></li>"
        for code in langs
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title("en"))} | {html.escape(title("fr"))}</title>
  <style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}}
  a{{color:#0b5394}} li{{margin:.75rem 0;font-size:1.2rem}}</style>
</head>
<body>
  <main>
  <h1>{html.escape(title("en"))} <span lang="fr">/ {html.escape(title("fr"))}</span></h1>
  <ul>
{links}
  </ul>
  </main>
</body>
</html>
"""


def build_book(
    *,
    langs: tuple[str, ...] = i18n.LANGUAGES,
    path_output: Path | None = None,
    execute: str = "cache",
    strict: bool = True,
    root: Path = ROOT,
    jurisdiction: str | Path | None = None,
    execute_only: tuple[str, ...] | None = None,
    manifest: str | Path | None = None,
    pdf: bool = True,
) -> Path:
    """Build the site into ``<path_output>/_build/html`` (one folder per language plus a landing
    page) and return that folder; with ``jurisdiction`` (a profile code or file), build that
    jurisdiction's edition into ``<path_output>/_build/<code>/html``.

    ``execute`` is ``cache`` (re-run changed notebooks), ``force`` (re-run all) or ``off``.
    ``strict`` turns every Sphinx warning into an error (``-W -n --keep-going``).
    ``execute_only`` (notebook paths relative to the repository) executes just those notebooks; the
    others are rendered without outputs — for tests that only look at some pages.
    ``manifest`` (an analysis manifest file) builds the book from the files it names; its
    ``jurisdiction`` is the edition's unless ``jurisdiction`` is given.
    ``pdf`` also makes the guide's PDF of each edition (``<edition>/ddi-playbook.pdf``,
    ``fr/guide-rad.pdf``; see :mod:`playbook.book.pdf`), linked from the front page and the footer;
    without Chromium the build says so and the site has no PDF link.
    """
    if execute not in EXECUTE_MODES:
        raise PlaybookError(f"unknown execution mode '{execute}'", field="execute", expected=" | ".join(EXECUTE_MODES))
    for lang in langs:
        i18n.language(lang)  # validates
    analysis = manifests.load(manifest) if manifest else None
    if analysis is not None and not jurisdiction:
        jurisdiction = analysis.jurisdiction
    profile = jur.load(jurisdiction) if jurisdiction else None
    if analysis is None and profile is not None and profile.manifest is not None:
        analysis = manifests.load(profile.manifest)  # the jurisdiction's own files
    path_output = Path(path_output or root).resolve()
    edition = () if profile is None else (profile.code,)
    site = path_output.joinpath("_build", *edition, "html")
    base = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    current = fingerprint(root) + (analysis.fingerprint() if analysis is not None else "")
    static_dir = site_assets.vendor_assets(path_output / "_build" / "static")
    word_templates(root)  # once for all editions
    for lang in langs:
        work = path_output.joinpath("_build", "work", *edition, lang)
        stamp = work / "_build" / ".playbook-fingerprint"
        if execute == "cache" and (not stamp.exists() or stamp.read_text() != current):
            shutil.rmtree(work / "_build" / ".jupyter_cache", ignore_errors=True)
        config = jurisdiction_config(language_config(base, lang, execute, static_dir), profile, lang)
        if execute_only is not None:
            skipped = sorted({p.relative_to(root).as_posix() for p in root.glob("**/*.ipynb")
                              if not {".venv", "_build", "node_modules"} & set(p.relative_to(root).parts)}
                             - set(execute_only))
            config["execute"]["exclude_patterns"] = skipped
        toc = translated_sources(root, work, config, lang)
        made = guide_pdf.build_pdf(root, work / "pdf", config, lang, run=_run_jupyter_book, profile=profile,
                                   manifest=analysis) if pdf else None
        if made is not None:
            print(f"playbook: the {lang} PDF has {made.pages} pages ({made.seconds:.0f} s)", file=sys.stderr)
        config["sphinx"]["config"].update(guide_pdf.site_config(made))
        built = _run_jupyter_book(root, work, config, lang, strict, profile=profile, manifest=analysis, toc=toc)
        stamp.write_text(current)
        shutil.rmtree(site / lang, ignore_errors=True)
        shutil.copytree(built, site / lang)
        if made is not None:
            shutil.copy2(made.path, site / lang / made.path.name)
    landing = landing_page() if profile is None else landing_page(langs, profile)
    (site / "index.html").write_text(landing, encoding="utf-8")
    return site
