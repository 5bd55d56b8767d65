//! The code rules' share of the [`Checker`]: each function's unsafe
//! practices, found once and read by every `code` rule.

use std::cell::OnceCell;

use faasguard_model::FunctionId;
use faasguard_taint::practices::Practice;

use crate::checker::Checker;

/// Practices per function, sized on first use (so the checker's
/// constructor needs nothing but `Default`).
#[derive(Default)]
pub(crate) struct PracticeCache(OnceCell<Vec<OnceCell<Vec<Practice>>>>);

impl Checker<'_> {
    /// The unsafe practices in a function's handler code and the local
    /// modules it imports; `None` without sources.
    pub(crate) fn practices(&self, f: FunctionId) -> Option<&[Practice]> {
        let db = self.db?;
        let cells = self
            .practices
            .0
            .get_or_init(|| self.app.functions.iter().map(|_| OnceCell::new()).collect());
        let cell = cells.get(f.index())?;
        let res = self.resolution(f)?;
        Some(cell.get_or_init(|| faasguard_taint::practices::practices(res, db)).as_slice())
    }
}
