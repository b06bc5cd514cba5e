//! The built-in template: the twelve sections of the CRA vendor checklist buyers hand their
//! suppliers (with the seed's clauses), each answerable per product. Organisations may edit it.

use super::model::TemplateSection;

const SECTIONS: [(&str, &str, &[&str]); 12] = [
    ("general-compliance", "General Compliance", &[
        "The Partner shall adhere to all applicable laws, regulations, and standards, including the Cyber Resilience Act (CRA) and associated harmonized standards, such as ETSI EN 303 645.",
        "The Partner shall demonstrate ongoing compliance through documented evidence and certifications as required by regulatory authorities.",
    ]),
    ("secure-development", "Secure Development and Production", &[
        "The Partner agrees to adopt secure-by-design principles throughout the development and production processes, including: ensuring unique, non-default credentials for components; applying encryption to protect sensitive data in transit and at rest; reducing unnecessary functionality to minimize attack surfaces.",
    ]),
    ("risk-management", "Cybersecurity Risk Management", &[
        "The Partner shall implement a cybersecurity risk management framework, including regular assessments of potential threats and vulnerabilities within the supply chain.",
        "The Partner agrees to report identified risks and collaborate with the Buyer to mitigate them effectively.",
    ]),
    ("vulnerability-management", "Vulnerability Management", &[
        "The Partner shall conduct regular vulnerability testing on supplied components or software.",
        "The Partner shall notify the Buyer within 48 hours of identifying vulnerabilities that could impact compliance or security.",
        "The Partner shall address critical vulnerabilities within an agreed timeframe (e.g., 15 business days).",
    ]),
    ("sbom", "Software Bill of Materials (SBOM)", &[
        "The Partner shall provide an SBOM for each supplied component, detailing a list of software components, versions, and origins, and known vulnerabilities linked to any component or library included.",
        "The SBOM must be updated as components are modified or updated during the lifecycle of the product.",
    ]),
    ("incident-response", "Incident Reporting and Response", &[
        "The Partner agrees to notify the Buyer of any actual or suspected cybersecurity incidents within 24 hours of detection.",
        "A root cause analysis and remediation plan must be submitted within five (5) business days of the incident notification.",
    ]),
    ("third-party-compliance", "Third-Party Compliance", &[
        "The Partner shall ensure that any subcontractors or third parties engaged comply with CRA-aligned security requirements.",
        "The Partner agrees to flow down these security obligations to all relevant third parties and provide proof of compliance upon request.",
    ]),
    ("documentation", "Documentation and Technical Files", &[
        "The Partner shall maintain and provide evidence of compliance with harmonized standards and CRA requirements; certificates from accredited testing laboratories as applicable; vulnerability reports, testing results, and declarations of conformity.",
    ]),
    ("audit-rights", "Audit and Assessment Rights", &[
        "The Buyer reserves the right to perform cybersecurity audits and assessments of the Partner's processes and components to verify compliance with CRA requirements.",
        "The Partner agrees to accommodate such audits within reasonable notice and provide all necessary records.",
    ]),
    ("security-training", "Security Training", &[
        "The Partner shall ensure that all personnel involved in the design, production, or maintenance of components receive adequate training on cybersecurity practices and CRA requirements.",
    ]),
    ("termination", "Termination for Non-Compliance", &[
        "The Buyer may terminate the agreement if the Partner fails to meet the CRA-aligned security requirements and does not resolve identified issues within 30 business days of notice.",
    ]),
    ("indemnification", "Indemnification and Liability", &[
        "The Partner agrees to indemnify and hold the Buyer harmless for any losses, damages, or penalties resulting from non-compliance with CRA-aligned requirements or cybersecurity incidents originating from the Partner's components.",
    ]),
];

/// The built-in template.
pub fn default_sections() -> Vec<TemplateSection> {
    SECTIONS
        .iter()
        .map(|(id, title, clauses)| TemplateSection {
            id: (*id).into(),
            title: (*title).into(),
            clauses: clauses.iter().map(|c| (*c).to_string()).collect(),
        })
        .collect()
}
