"""``flask translate``: catalogues of the site's words in other languages.

    flask translate init fr   # start a catalogue: translations/fr/LC_MESSAGES/messages.po
    flask translate update    # after words change: add new ones to every catalogue
    flask translate compile   # make the .mo files the site reads
    flask translate status    # what each catalogue still lacks

The work is Babel's own ``pybabel`` commands, run with the site's settings.
"""
import os
import sys
import tempfile

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask import Blueprint

from .languages import SOURCE_LANGUAGE, TRANSLATIONS_DIRECTORY

PACKAGE_DIRECTORY = os.path.dirname(TRANSLATIONS_DIRECTORY)
MAPPING_FILE = os.path.join(TRANSLATIONS_DIRECTORY, "babel.cfg")
KEYWORDS = ("_l", "lazy_gettext", "lazy_ngettext:1,2", "lazy_pgettext:1c,2")

translate_cli = Blueprint("translate_cli", __name__, cli_group="translate")


def pybabel(*arguments):
    CommandLineInterface().run(["pybabel", "--quiet", *arguments])


def extract_words(template_path):
    """Every translatable text of the package, into a .pot file."""
    keywords = [argument for keyword in KEYWORDS for argument in ("-k", keyword)]
    pybabel("extract", "-F", MAPPING_FILE, *keywords, "--add-location=file",
            "--sort-by-file", "--no-wrap", "--project=Scratchpad", "-o", template_path,
            PACKAGE_DIRECTORY)


def catalogue_path(language):
    return os.path.join(TRANSLATIONS_DIRECTORY, language, "LC_MESSAGES", "messages.po")


def catalogue_languages():
    return sorted(name for name in os.listdir(TRANSLATIONS_DIRECTORY)
                  if os.path.isfile(catalogue_path(name)))


def missing_translations(language):
    """The texts a catalogue leaves untranslated or marks fuzzy (not used)."""
    with open(catalogue_path(language), "rb") as po_file:
        catalogue = read_po(po_file, locale=language)
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(translations):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


@translate_cli.cli.command("init")
@click.argument("language")
def init_command(language):
    """Start a catalogue for LANGUAGE (a code such as fr or pt_BR)."""
    if language == SOURCE_LANGUAGE:
        raise click.UsageError("The site's words are written in English; no catalogue is needed.")
    if os.path.exists(catalogue_path(language)):
        raise click.UsageError(f"{catalogue_path(language)} exists: use `flask translate update`.")
    with tempfile.TemporaryDirectory() as scratch:
        template_path = os.path.join(scratch, "messages.pot")
        extract_words(template_path)
        pybabel("init", "--no-wrap", "-i", template_path, "-d", TRANSLATIONS_DIRECTORY,
                "-l", language)
    click.echo(f"Translate the texts in {catalogue_path(language)}, "
               "then run `flask translate compile`.")


@translate_cli.cli.command("update")
def update_command():
    """Bring every catalogue up to date with the site's words."""
    with tempfile.TemporaryDirectory() as scratch:
        template_path = os.path.join(scratch, "messages.pot")
        extract_words(template_path)
        pybabel("update", "--no-wrap", "--ignore-obsolete", "-i", template_path,
                "-d", TRANSLATIONS_DIRECTORY)
    for language in catalogue_languages():
        missing = len(missing_translations(language))
        click.echo(f"{language}: {missing} text{'s' if missing != 1 else ''} to translate.")


@translate_cli.cli.command("compile")
def compile_command():
    """Make the .mo files the site reads from the catalogues."""
    pybabel("compile", "-d", TRANSLATIONS_DIRECTORY)


@translate_cli.cli.command("status")
def status_command():
    """List what each catalogue still lacks; exit 1 if any lacks something."""
    incomplete = False
    for language in catalogue_languages():
        missing = missing_translations(language)
        click.echo(f"{language}: {len(missing)} missing")
        for text in missing:
            click.echo(f"  {text!r}")
        incomplete = incomplete or bool(missing)
    sys.exit(1 if incomplete else 0)
