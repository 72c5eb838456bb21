//! The devnode's frame: revm's `EthFrame` plus, for Stylus programs and the StylusDeployer, the
//! native state machine that runs in place of the EVM interpreter.

use revm::{
    handler::{EthFrame, FrameResult, FrameTr},
    interpreter::interpreter_action::FrameInit,
};

use crate::{
    precompiles::deployer::DeployerFrame,
    stylus::run::{ChildOutcome, StylusFrame},
};

/// Code that runs natively instead of in the EVM interpreter.
#[derive(Debug)]
pub enum NativeFrame {
    /// A Stylus program.
    Stylus(StylusFrame),
    /// The StylusDeployer.
    Deployer(DeployerFrame),
}

impl NativeFrame {
    /// Hands a finished child's outcome to the native code.
    pub fn child_returned(&mut self, outcome: ChildOutcome) {
        match self {
            Self::Stylus(frame) => frame.child_returned(outcome),
            Self::Deployer(frame) => frame.child_returned(outcome),
        }
    }
}

/// One entry of revm's frame stack.
#[derive(Debug)]
pub struct ArbFrame {
    /// The EVM frame: checkpoint, gas, memory, inputs (and the interpreter for EVM code).
    pub eth: EthFrame,
    /// Native code running in this frame, if any.
    pub native: Option<Box<NativeFrame>>,
}

impl ArbFrame {
    /// An empty frame slot. It must not allocate: revm writes it into never-used slots without
    /// dropping what was there.
    pub fn invalid() -> Self {
        Self {
            eth: EthFrame::invalid(),
            native: None,
        }
    }
}

impl Default for ArbFrame {
    fn default() -> Self {
        Self::invalid()
    }
}

impl FrameTr for ArbFrame {
    type FrameResult = FrameResult;
    type FrameInit = FrameInit;
}
