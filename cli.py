"""The `claims` command line: one typer root, one sub-command per module in claims/commands/."""

import typer

from claims.commands.compare import compare
from claims.commands.disputes import disputes
from claims.commands.ingest import ingest
from claims.commands.match import match
from claims.commands.similar import similar
from claims.commands.speakers import speakers

app = typer.Typer(
    name="claims",
    help="Compare what news articles claim: recurring claims, who said them, stance, disagreements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("match")(match)
app.command("similar")(similar)
app.command("compare")(compare)
app.command("speakers")(speakers)
app.command("disputes")(disputes)
app.command("ingest")(ingest)

if __name__ == "__main__":
    app()
