//! Questions to the user: on the terminal (secrets without echo), or line by line
//! from stdin for scripts and tests.

use std::io::{BufRead, IsTerminal, Write};

/// Reads answers from stdin, one line each, with the question on stderr.
pub struct Prompt {
    lines: std::io::Lines<std::io::StdinLock<'static>>,
    terminal: bool,
}

impl Prompt {
    pub fn new() -> Self {
        Prompt {
            lines: std::io::stdin().lock().lines(),
            terminal: std::io::stdin().is_terminal(),
        }
    }

    /// A visible answer.
    pub fn line(&mut self, question: &str) -> Result<String, String> {
        eprint!("{question}: ");
        let _ = std::io::stderr().flush();
        self.next_line()
            .map_err(|_| format!("no answer to {question:?} (stdin is closed)"))
    }

    /// Whether stdin is a terminal.
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// The next line of stdin, without a question.
    pub fn next_line(&mut self) -> Result<String, String> {
        match self.lines.next() {
            Some(Ok(line)) => Ok(line.trim_end_matches(['\r', '\n']).to_owned()),
            Some(Err(e)) => Err(format!("cannot read stdin: {e}")),
            None => Err("stdin is closed".to_owned()),
        }
    }

    /// A secret: typed without echo on a terminal, else the next line of stdin.
    pub fn secret(&mut self, question: &str) -> Result<String, String> {
        if self.terminal {
            rpassword::prompt_password(format!("{question}: "))
                .map_err(|e| format!("cannot read the terminal: {e}"))
        } else {
            self.next_line()
                .map_err(|_| format!("no answer to {question:?} (stdin is closed)"))
        }
    }
}
