//! Progress while a bulk run goes: a bar on a terminal, periodic plain lines otherwise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What a run has counted so far, as progress shows it.
pub trait Counted {
    /// Records written in this run.
    fn records(&self) -> u64;
    /// One short line for progress output.
    fn progress_line(&self) -> String;
}

/// How often the bar's message is refreshed, and plain lines are printed.
const BAR_REFRESH: Duration = Duration::from_millis(200);
const LINE_INTERVAL: Duration = Duration::from_secs(5);

/// Records per second since `started`.
fn rate(tally: &impl Counted, started: Instant) -> f64 {
    tally.records() as f64 / started.elapsed().as_secs_f64().max(0.001)
}

/// Where progress goes.
pub enum Progress {
    /// A bar over the input's bytes (stderr is a terminal).
    Bar {
        /// The bar.
        bar: ProgressBar,
        /// When the run started.
        started: Instant,
        /// When its message was last refreshed.
        refreshed: Instant,
    },
    /// A line on stderr every few seconds (stderr is a file or pipe).
    Lines {
        /// Input size, for a percentage.
        size: u64,
        /// When the run started.
        started: Instant,
        /// When the last line was printed.
        printed: Instant,
    },
    /// Nothing (`--quiet`).
    Quiet,
}

impl Progress {
    /// A reporter for an input of `size` bytes.
    pub fn new(size: u64, quiet: bool) -> Self {
        let now = Instant::now();
        if quiet {
            return Progress::Quiet;
        }
        if !std::io::stderr().is_terminal() {
            return Progress::Lines {
                size,
                started: now,
                printed: now,
            };
        }
        let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{elapsed_precise} [{wide_bar}] {percent:>3}%  {msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress::Bar {
            bar,
            started: now,
            refreshed: now,
        }
    }

    /// Reports that the input has been worked through up to `offset`.
    pub fn update(&mut self, offset: u64, tally: &impl Counted) {
        match self {
            Progress::Bar {
                bar,
                started,
                refreshed,
            } => {
                if offset > bar.position() {
                    bar.set_position(offset);
                }
                if refreshed.elapsed() >= BAR_REFRESH {
                    *refreshed = Instant::now();
                    bar.set_message(format!(
                        "{:.0} rows/s  {}",
                        rate(tally, *started),
                        tally.progress_line()
                    ));
                }
            }
            Progress::Lines {
                size,
                started,
                printed,
            } => {
                if printed.elapsed() >= LINE_INTERVAL {
                    *printed = Instant::now();
                    let percent = if *size > 0 {
                        (offset as f64 / *size as f64 * 100.0).min(100.0)
                    } else {
                        0.0
                    };
                    eprintln!(
                        "progress: {percent:.0}% of the input, {:.0} rows/s: {}",
                        rate(tally, *started),
                        tally.progress_line()
                    );
                }
            }
            Progress::Quiet => {}
        }
    }

    /// A note that must not tear the bar (printed above it).
    pub fn note(&self, message: &str) {
        match self {
            Progress::Bar { bar, .. } => bar.println(message),
            Progress::Lines { .. } | Progress::Quiet => eprintln!("{message}"),
        }
    }

    /// Removes the bar before the summary.
    pub fn finish(&self) {
        if let Progress::Bar { bar, .. } = self {
            bar.finish_and_clear();
        }
    }
}
