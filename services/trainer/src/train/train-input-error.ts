/** The job asks for something that cannot be trained; retrying will not change that. */
export class TrainInputError extends Error {}
