// trainings.mjs — being written.
export default [];
